// Block Kit → DOM, as Slack draws it: header, section (text, fields,
// accessory), context, divider, actions, input, image, rich_text, markdown;
// elements button (styles, confirm), overflow, selects, radio buttons,
// checkboxes, date/time pickers, user pickers, text inputs. Anything else shows
// as "unsupported block (type)". Real buttons and labelled inputs, so the page
// works by visible text and roles.
"use strict";
(function () {
  const M = window.Mrkdwn;
  let uid = 0;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function textObj(t, ctx) {
    if (!t) return el("span");
    if (t.type === "mrkdwn") return M.render(t.text, ctx);
    return M.plain(t.text, t.emoji !== false);
  }

  const str = (t) => (t && typeof t.text === "string" ? t.text : "");

  function allOptions(e) {
    const opts = (e.options || []).slice();
    (e.option_groups || []).forEach((g) => opts.push(...(g.options || [])));
    return opts;
  }

  function confirmThen(e, go) {
    if (!e.confirm) return go();
    const c = e.confirm;
    const box = el("div", "modal-backdrop confirm");
    const dlg = el("div", "modal");
    dlg.setAttribute("role", "alertdialog");
    dlg.setAttribute("aria-label", str(c.title) || "Are you sure?");
    dlg.appendChild(el("h2", "modal-title", str(c.title) || "Are you sure?"));
    dlg.appendChild(textObj(c.text, {}));
    const foot = el("footer", "modal-foot");
    const no = el("button", "bk-button", str(c.deny) || "Cancel");
    const yes = el("button", "bk-button " + (c.style === "danger" ? "danger" : "primary"), str(c.confirm) || "Yes");
    no.type = yes.type = "button";
    no.onclick = () => box.remove();
    yes.onclick = () => { box.remove(); go(); };
    foot.append(no, yes);
    dlg.appendChild(foot);
    box.appendChild(dlg);
    document.body.appendChild(box);
    yes.focus();
  }

  // One element. `input` is true inside an input block (value collected on submit).
  function element(e, blockId, opts, label, input) {
    const act = (value) => opts.onAction && opts.onAction(blockId, e.action_id, value, e);
    const id = "bk" + ++uid;
    const tag = (node, kind) => {
      node.dataset.block = blockId;
      node.dataset.action = e.action_id || "";
      node.dataset.kind = kind || e.type;
      return node;
    };
    switch (e.type) {
      case "button": {
        const b = el("button", "bk-button" + (e.style ? " " + e.style : ""));
        b.type = "button";
        b.appendChild(M.plain(str(e.text), e.text && e.text.emoji !== false));
        if (e.accessibility_label) b.setAttribute("aria-label", e.accessibility_label);
        b.onclick = () => confirmThen(e, () => {
          if (e.url && /^https?:/i.test(e.url)) window.open(e.url, "_blank", "noopener");
          act(e.value === undefined ? null : e.value);
        });
        return b;
      }
      case "overflow": {
        const wrap = el("span", "bk-overflow");
        const b = el("button", "bk-button icon", "⋯");
        b.type = "button";
        b.setAttribute("aria-label", "More options");
        b.setAttribute("aria-haspopup", "menu");
        const menu = el("div", "menu");
        menu.setAttribute("role", "menu");
        menu.hidden = true;
        (e.options || []).forEach((o) => {
          const item = el("button", "menu-item", str(o.text));
          item.type = "button";
          item.setAttribute("role", "menuitem");
          item.onclick = () => { menu.hidden = true; confirmThen(e, () => act(o.value)); };
          menu.appendChild(item);
        });
        b.onclick = () => { menu.hidden = !menu.hidden; };
        wrap.append(b, menu);
        return wrap;
      }
      case "static_select": case "external_select": case "users_select":
      case "conversations_select": case "channels_select": {
        const s = tag(el("select", "bk-select"), "single");
        s.id = id;
        const none = el("option", "", str(e.placeholder) || "Select an item");
        none.value = "";
        s.appendChild(none);
        let initial = "";
        if (e.type === "users_select") {
          (opts.users || []).forEach((u) => { const o = el("option", "", u.name); o.value = u.id; s.appendChild(o); });
          initial = e.initial_user || "";
        } else if (e.type === "conversations_select" || e.type === "channels_select") {
          const o = el("option", "", "#" + (opts.channel ? opts.channel.name : "channel"));
          o.value = opts.channel ? opts.channel.id : "";
          s.appendChild(o);
          initial = e.initial_conversation || e.initial_channel || "";
        } else {
          const add = (parent, list) => list.forEach((o) => {
            const opt = el("option", "", str(o.text));
            opt.value = o.value;
            parent.appendChild(opt);
          });
          add(s, e.options || []);
          (e.option_groups || []).forEach((g) => {
            const og = el("optgroup");
            og.label = str(g.label);
            add(og, g.options || []);
            s.appendChild(og);
          });
          initial = e.initial_option ? e.initial_option.value : "";
        }
        s.value = initial;
        if (!input) {
          s.setAttribute("aria-label", label || str(e.placeholder) || "Select");
          s.onchange = () => act(s.value || null);
        }
        return s;
      }
      case "radio_buttons": case "checkboxes":
      case "multi_static_select": case "multi_external_select": case "multi_users_select": {
        const radio = e.type === "radio_buttons";
        const fs = tag(el("fieldset", "bk-choices"), radio ? "radio" : "multi");
        const lg = el("legend", input ? "sr-only" : "", label || str(e.placeholder) || "Options");
        fs.appendChild(lg);
        const options = e.type === "multi_users_select"
          ? (opts.users || []).map((u) => ({ text: { text: u.name }, value: u.id }))
          : allOptions(e);
        const initial = new Set([].concat(
          e.initial_option ? [e.initial_option.value] : [],
          (e.initial_options || []).map((o) => o.value),
          e.initial_users || []));
        options.forEach((o) => {
          const row = el("label", "bk-choice");
          const box = el("input");
          box.type = radio ? "radio" : "checkbox";
          box.name = id;
          box.value = o.value;
          box.checked = initial.has(o.value);
          if (!input) box.onchange = () => act(radio ? box.value : collect(fs));
          row.appendChild(box);
          const words = el("span");
          words.appendChild(textObj(o.text, opts.ctx));
          if (o.description) words.appendChild(el("small", "bk-desc", str(o.description)));
          row.appendChild(words);
          fs.appendChild(row);
        });
        return fs;
      }
      case "datepicker": case "timepicker": case "datetimepicker": {
        const i = tag(el("input", "bk-input"));
        i.id = id;
        i.type = { datepicker: "date", timepicker: "time", datetimepicker: "datetime-local" }[e.type];
        if (e.initial_date) i.value = e.initial_date;
        if (e.initial_time) i.value = e.initial_time;
        if (e.initial_date_time) {
          const d = new Date(e.initial_date_time * 1000);
          const pad = (n) => String(n).padStart(2, "0");
          i.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
        }
        if (!input) {
          i.setAttribute("aria-label", label || str(e.placeholder) || e.type);
          i.onchange = () => act(readOne(i));
        }
        return i;
      }
      case "plain_text_input": case "email_text_input": case "url_text_input": case "number_input": {
        const multi = e.type === "plain_text_input" && e.multiline;
        const i = tag(el(multi ? "textarea" : "input", "bk-input"), "text");
        i.id = id;
        if (!multi) i.type = { email_text_input: "email", url_text_input: "url", number_input: "text" }[e.type] || "text";
        if (multi) i.rows = 3;
        if (e.placeholder) i.placeholder = str(e.placeholder);
        if (e.initial_value !== undefined && e.initial_value !== null) i.value = String(e.initial_value);
        if (!input) i.setAttribute("aria-label", label || str(e.placeholder) || "Text");
        return i;
      }
      case "image": {
        const span = el("span", "bk-image", "🖼 " + (e.alt_text || "image"));
        span.setAttribute("role", "img");
        span.setAttribute("aria-label", e.alt_text || "image");
        return span;
      }
      default:
        return el("span", "bk-unsupported", "unsupported element (" + e.type + ")");
    }
  }

  function readOne(node) {
    const kind = node.dataset.kind;
    if (kind === "radio") {
      const c = node.querySelector("input:checked");
      return c ? c.value : null;
    }
    if (kind === "multi") return Array.from(node.querySelectorAll("input:checked")).map((c) => c.value);
    if (kind === "datetimepicker") return node.value ? Math.floor(new Date(node.value).getTime() / 1000) : null;
    return node.value === "" ? null : node.value;
  }

  function collect(node) { return readOne(node); }

  // The raw values of every input in `container`: {block_id: {action_id: raw}}.
  function values(container) {
    const out = {};
    container.querySelectorAll("[data-block]").forEach((n) => {
      (out[n.dataset.block] = out[n.dataset.block] || {})[n.dataset.action] = readOne(n);
    });
    return out;
  }

  function richText(block, ctx) {
    const box = el("div", "rich");
    const inlineEls = (parent, elements) => (elements || []).forEach((x) => {
      let node;
      if (x.type === "text") {
        node = el(x.style && x.style.code ? "code" : "span", "", x.text);
        if (x.style && x.style.bold) node.style.fontWeight = "bold";
        if (x.style && x.style.italic) node.style.fontStyle = "italic";
        if (x.style && x.style.strike) node.style.textDecoration = "line-through";
      } else if (x.type === "link") {
        node = M.render("<" + x.url + "|" + (x.text || x.url) + ">", ctx).firstChild.firstChild;
      } else if (x.type === "user") node = el("span", "mention", "@" + (ctx.userName ? ctx.userName(x.user_id) : x.user_id));
      else if (x.type === "channel") node = el("span", "mention", "#" + (ctx.channelName ? ctx.channelName(x.channel_id) : x.channel_id));
      else if (x.type === "emoji") node = el("span", "emoji", M.emoji(x.name) || ":" + x.name + ":");
      else if (x.type === "broadcast") node = el("span", "mention", "@" + x.range);
      else node = el("span", "bk-unsupported", "unsupported element (" + x.type + ")");
      if (node) parent.appendChild(node);
    });
    (block.elements || []).forEach((part) => {
      if (part.type === "rich_text_section") { const d = el("div"); inlineEls(d, part.elements); box.appendChild(d); }
      else if (part.type === "rich_text_quote") { const q = el("blockquote"); inlineEls(q, part.elements); box.appendChild(q); }
      else if (part.type === "rich_text_preformatted") { const p = el("pre"); inlineEls(p, part.elements); box.appendChild(p); }
      else if (part.type === "rich_text_list") {
        const l = el(part.style === "ordered" ? "ol" : "ul");
        (part.elements || []).forEach((s) => { const li = el("li"); inlineEls(li, s.elements); l.appendChild(li); });
        box.appendChild(l);
      } else box.appendChild(el("div", "bk-unsupported", "unsupported element (" + part.type + ")"));
    });
    return box;
  }

  function block(b, opts) {
    const ctx = opts.ctx || {};
    const id = b.block_id || "";
    const wrap = el("div", "bk-block block-" + b.type);
    switch (b.type) {
      case "header": {
        const h = el("h3", "bk-header");
        h.appendChild(textObj(b.text, ctx));
        wrap.appendChild(h);
        break;
      }
      case "section": {
        const main = el("div", "bk-section-main");
        if (b.text) main.appendChild(textObj(b.text, ctx));
        if (b.fields) {
          const grid = el("div", "bk-fields");
          b.fields.forEach((f) => grid.appendChild(textObj(f, ctx)));
          main.appendChild(grid);
        }
        wrap.appendChild(main);
        if (b.accessory) wrap.appendChild(element(b.accessory, id, opts, str(b.text).slice(0, 60), false));
        break;
      }
      case "context":
        (b.elements || []).forEach((e) => wrap.appendChild(e.type === "image" ? element(e, id, opts) : textObj(e, ctx)));
        break;
      case "divider":
        wrap.appendChild(el("hr"));
        break;
      case "actions":
        (b.elements || []).forEach((e) => wrap.appendChild(element(e, id, opts, null, false)));
        break;
      case "image":
        if (b.title) wrap.appendChild(textObj(b.title, ctx));
        wrap.appendChild(element({ type: "image", alt_text: b.alt_text }, id, opts));
        break;
      case "input": {
        const labelText = str(b.label);
        const control = element(b.element || {}, id, opts, labelText, true);
        const grouped = control.tagName === "FIELDSET";
        const label = el(grouped ? "div" : "label", "bk-label", labelText);
        if (!grouped) label.htmlFor = control.id;
        else control.querySelector("legend").textContent = labelText;
        if (b.optional) label.appendChild(el("span", "bk-optional", " (optional)"));
        wrap.appendChild(label);
        wrap.appendChild(control);
        if (b.hint) wrap.appendChild(el("div", "bk-hint", str(b.hint)));
        const err = opts.errors && opts.errors[id];
        if (err) {
          const e = el("div", "bk-error", err);
          e.setAttribute("role", "alert");
          e.id = control.id ? control.id + "-err" : "";
          if (control.id) { control.setAttribute("aria-invalid", "true"); control.setAttribute("aria-describedby", e.id); }
          wrap.appendChild(e);
          wrap.classList.add("has-error");
        }
        break;
      }
      case "rich_text":
        wrap.appendChild(richText(b, ctx));
        break;
      case "markdown":
        wrap.appendChild(M.render(b.text || "", ctx));
        break;
      default:
        wrap.className = "bk-block bk-unsupported";
        wrap.textContent = "unsupported block (" + b.type + ")";
    }
    return wrap;
  }

  function render(blocks, opts) {
    const box = el("div", "bk");
    (blocks || []).forEach((b) => box.appendChild(block(b || {}, opts || {})));
    return box;
  }

  window.BlockKit = { render, values };
})();
