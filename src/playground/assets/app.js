// The playground page: a Slack-like channel, threads, the Home tab and modals,
// kept live by server-sent events. Every action is a POST to /ui/… that the
// emulator turns into what Slack would send wb.
"use strict";
(function () {
  const $ = (s) => document.querySelector(s);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const button = (text, cls, onclick, label) => {
    const b = el("button", cls, text);
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    b.onclick = onclick;
    return b;
  };

  const S = { me: sessionStorage.getItem("wb-playground-user"), data: null, pane: "channel", thread: null,
              modalKey: null, modalErrors: "", loading: false, again: false };

  function toast(text) {
    const t = $("#toast");
    t.textContent = text;
    t.hidden = !text;
    clearTimeout(toast.timer);
    if (text) toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
  }

  async function post(action, body) {
    try {
      const r = await fetch("/ui/" + action, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify(Object.assign({ user: S.me }, body)),
      });
      return await r.json();
    } catch (e) {
      return { ok: false, error: "network_error" };
    }
  }

  const ERRORS = {
    msg_too_long: "Your message is too long: Slack takes up to 40,000 characters.",
    no_text: "Type a message first.",
    view_not_found: "This form is no longer open: it was submitted or closed (maybe in another tab).",
    view_already_submitting: "This form is already being submitted (maybe in another tab).",
  };
  const explain = (r) => ERRORS[r.error] || "Slack answered: " + r.error;

  async function refresh() {
    if (S.loading) { S.again = true; return; }
    S.loading = true;
    try {
      const r = await fetch("/ui/state?user=" + encodeURIComponent(S.me));
      S.data = await r.json();
      render();
    } catch (e) {
      $("#live").textContent = "Reconnecting…";
    } finally {
      S.loading = false;
      if (S.again) { S.again = false; refresh(); }
    }
  }

  function ctx() {
    const d = S.data;
    return {
      userName: (id) => {
        if (d && id === d.bot.id) return d.bot.name;
        const u = d && d.users.find((x) => x.id === id);
        return u ? u.name : id;
      },
      channelName: (id) => (d && id === d.channel.id ? d.channel.name : id),
      localLink: (url) => {
        const m = /\/docs\/[A-Z0-9]+\/([A-Z0-9]+)$/.exec(url);
        if (m && d && d.canvases.some((c) => c.id === m[1])) return "/docs/" + d.team.id + "/" + m[1];
        if (url.startsWith(location.origin + "/")) return url.slice(location.origin.length);
        return null;
      },
    };
  }

  const time = (ts) => new Date(parseFloat(ts) * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

  function blocksOrText(item, source) {
    if (item.blocks && item.blocks.length) {
      return BlockKit.render(item.blocks, {
        ctx: ctx(), users: S.data.users, channel: S.data.channel,
        onAction: (block_id, action_id, value) => act(source, block_id, action_id, value),
      });
    }
    return Mrkdwn.render(item.text, ctx());
  }

  async function act(source, block_id, action_id, value, values) {
    const r = await post("action", { source, block_id, action_id, value, values });
    if (!r.ok) toast("⚠️ " + explain(r));
  }

  function header(name, isBot, ts, extra) {
    const h = el("div", "msg-head");
    h.appendChild(el("span", "msg-name", name));
    if (isBot) h.appendChild(el("span", "badge", "APP"));
    h.appendChild(el("time", "msg-time", time(ts)));
    if (extra) h.appendChild(extra);
    return h;
  }

  function avatar(name, isBot) {
    const a = el("div", "avatar" + (isBot ? " bot" : ""), (name || "?").slice(0, 1).toUpperCase());
    a.setAttribute("aria-hidden", "true");
    return a;
  }

  function toolbar(m, inThread) {
    const bar = el("div", "msg-tools");
    const mine = (m.reactions || []).some((r) => r.name === "+1" && r.users.includes(S.me));
    bar.appendChild(button("👍", "tool", () => react(m.ts, "+1"), mine ? "Remove 👍 reaction" : "React with 👍"));
    if (!inThread) bar.appendChild(button("💬", "tool", () => openThread(m.ts), "Reply in thread"));
    const more = button("⋯", "tool", () => { menu.hidden = !menu.hidden; }, "More actions");
    more.setAttribute("aria-haspopup", "menu");
    const menu = el("div", "menu");
    menu.setAttribute("role", "menu");
    menu.hidden = true;
    const item = (text, fn) => {
      const b = button(text, "menu-item", () => { menu.hidden = true; fn(); });
      b.setAttribute("role", "menuitem");
      menu.appendChild(b);
    };
    item("Add to FAQ", async () => {
      const r = await post("shortcut", { ts: m.ts, callback_id: "wb_add_to_faq" });
      if (!r.ok) toast("⚠️ " + explain(r));
    });
    if (m.user === S.me && !m.bot && m.subtype !== "tombstone") {
      item("Edit message", () => edit(m));
      item("Delete message", async () => { const r = await post("delete", { ts: m.ts }); if (!r.ok) toast("⚠️ " + explain(r)); });
    }
    bar.append(more, menu);
    return bar;
  }

  async function react(ts, name) {
    const r = await post("react", { ts, name });
    if (!r.ok) toast("⚠️ " + explain(r));
  }

  function edit(m) {
    const art = document.querySelector(`[data-ts="${m.ts}"] .msg-body`);
    if (!art) return;
    art.replaceChildren();
    const t = el("textarea", "composer-input");
    t.value = m.text;
    t.setAttribute("aria-label", "Edit message");
    const save = button("Save", "bk-button primary", async () => {
      const r = await post("edit", { ts: m.ts, text: t.value });
      if (!r.ok) toast("⚠️ " + explain(r)); else refresh();
    });
    const cancel = () => art.replaceChildren(blocksOrText(m, { kind: "message", ts: m.ts }));
    art.append(t, save, button("Cancel", "bk-button", cancel));
    t.focus();
  }

  function messageEl(m, inThread) {
    const art = el("article", "msg" + (m.subtype ? " " + m.subtype : ""));
    art.dataset.ts = m.ts;
    if (m.subtype === "channel_join") {
      art.appendChild(el("div", "system", (m.name || "wb") + " joined #" + S.data.channel.name + "."));
      return art;
    }
    art.appendChild(avatar(m.name, m.bot));
    const main = el("div", "msg-main");
    main.appendChild(header(m.name, m.bot, m.ts, m.edited ? el("span", "edited", "(edited)") : null));
    const body = el("div", "msg-body");
    body.appendChild(blocksOrText(m, { kind: "message", ts: m.ts }));
    main.appendChild(body);
    (m.files || []).forEach((f) => {
      const a = el("a", "file", "📄 " + (f.title || f.name));
      a.href = f.url;
      a.target = "_blank";
      a.rel = "noopener";
      main.appendChild(a);
    });
    if ((m.reactions || []).length) {
      const row = el("div", "reactions");
      m.reactions.forEach((r) => {
        const mine = r.users.includes(S.me);
        const b = button((Mrkdwn.emoji(r.name) || ":" + r.name + ":") + " " + r.users.length, "reaction" + (mine ? " mine" : ""),
          () => react(m.ts, r.name));
        b.setAttribute("aria-pressed", String(mine));
        b.title = r.users.map((u) => ctx().userName(u)).join(", ") + " reacted with :" + r.name + ":";
        row.appendChild(b);
      });
      main.appendChild(row);
    }
    if (!inThread && m.reply_count > 0) {
      main.appendChild(button(m.reply_count + (m.reply_count === 1 ? " reply" : " replies"), "replies", () => openThread(m.ts)));
    }
    art.appendChild(main);
    if (m.subtype !== "tombstone") art.appendChild(toolbar(m, inThread));
    return art;
  }

  function ephemeralEl(e) {
    const art = el("article", "msg ephemeral");
    const name = e.slackbot ? "Slackbot" : S.data.bot.name;
    art.appendChild(avatar(name, true));
    const main = el("div", "msg-main");
    main.appendChild(header(name, !e.slackbot, e.ts, el("span", "only-you", "Only visible to you")));
    main.appendChild(blocksOrText(e, { kind: "ephemeral", id: e.id }));
    main.appendChild(button("Dismiss", "link", () => post("dismiss", { id: e.id }), "Dismiss message"));
    art.appendChild(main);
    return art;
  }

  // Messages and ephemerals of one place, in ts order. A message that did not
  // change keeps its element (an open menu, an edit box, focus stay put).
  function timeline(list, messages, ephemerals, inThread) {
    const items = messages.map((m) => ["m" + m.ts, m.ts, m, () => messageEl(m, inThread)])
      .concat(ephemerals.map((e) => ["e" + e.id, e.ts, e, () => ephemeralEl(e)]))
      .sort((a, b) => parseFloat(a[1]) - parseFloat(b[1]));
    const cache = list.cache || new Map();
    const next = new Map();
    const nodes = items.map(([key, , item, make]) => {
      const sig = JSON.stringify(item) + "|" + S.me + "|" + S.data.users.length;
      const old = cache.get(key);
      const node = old && old.sig === sig ? old.node : make();
      next.set(key, { sig, node });
      return node;
    });
    list.cache = next;
    const same = nodes.length === list.children.length && nodes.every((n, i) => list.children[i] === n);
    if (same) return;
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.replaceChildren(...nodes);
    if (nearBottom || list.dataset.count !== String(items.length)) list.scrollTop = list.scrollHeight;
    list.dataset.count = String(items.length);
  }

  function renderChannel() {
    const d = S.data;
    const top = d.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    timeline($("#messages"), top, d.ephemerals.filter((e) => !e.thread_ts), false);
    const canv = $("#canvases");
    canv.replaceChildren(...d.canvases.map((c) => {
      const a = el("a", "canvas-link", "📄 " + c.title);
      a.href = c.url;
      a.target = "_blank";
      return a;
    }));
  }

  function renderThread() {
    const pane = $("#thread");
    const d = S.data;
    const parent = S.thread && d.messages.find((m) => m.ts === S.thread);
    pane.hidden = !parent;
    if (!parent) return;
    const replies = d.messages.filter((m) => m.thread_ts === S.thread && m.ts !== S.thread);
    timeline($("#thread-messages"), [parent].concat(replies), d.ephemerals.filter((e) => e.thread_ts === S.thread), true);
  }

  function renderHome() {
    const box = $("#home-view");
    const home = S.data.home;
    const key = home ? home.id + home.hash : "";
    if (box.dataset.key === key && key) return;
    box.dataset.key = key;
    box.replaceChildren(home
      ? BlockKit.render(home.view.blocks, { ctx: ctx(), users: S.data.users, channel: S.data.channel,
          onAction: (b, a, v) => act({ kind: "view", view_id: home.id }, b, a, v, BlockKit.values(box)) })
      : el("p", "muted", "Loading the Home tab…"));
  }

  function restore(container, values) {
    container.querySelectorAll("[data-block]").forEach((n) => {
      const v = (values[n.dataset.block] || {})[n.dataset.action];
      if (v === undefined) return;
      if (n.tagName === "FIELDSET") n.querySelectorAll("input").forEach((i) => { i.checked = [].concat(v).includes(i.value); });
      else if (n.type !== "datetime-local") n.value = v === null ? "" : v;
    });
  }

  function renderModal() {
    const m = S.data.modal;
    const root = $("#modal-root");
    const key = m ? m.id + "/" + m.hash : null;
    const errors = m ? JSON.stringify(m.errors || {}) : "";
    if (!m) { root.replaceChildren(); S.modalKey = null; return; }
    if (S.modalKey === key && S.modalErrors === errors) return;
    const kept = S.modalKey === key ? BlockKit.values(root) : null;
    S.modalKey = key;
    S.modalErrors = errors;
    const v = m.view;
    const backdrop = el("div", "modal-backdrop");
    const dlg = el("div", "modal");
    dlg.setAttribute("role", "dialog");
    dlg.setAttribute("aria-modal", "true");
    dlg.setAttribute("aria-labelledby", "modal-title");
    const head = el("header", "modal-head");
    const title = el("h2", "modal-title");
    title.id = "modal-title";
    title.appendChild(Mrkdwn.plain(v.title ? v.title.text : "App", true));
    const close = () => post("view/close", { view_id: m.id, values: BlockKit.values(body) });
    head.append(title, button("×", "tool", close, "Close"));
    const body = el("div", "modal-body");
    body.appendChild(BlockKit.render(v.blocks, { ctx: ctx(), users: S.data.users, channel: S.data.channel, errors: m.errors,
      onAction: (b, a, val) => act({ kind: "view", view_id: m.id }, b, a, val, BlockKit.values(body)) }));
    const status = el("p", "modal-status");
    status.setAttribute("role", "alert");
    const foot = el("footer", "modal-foot");
    foot.appendChild(button(v.close ? v.close.text : "Cancel", "bk-button", close));
    if (v.submit) {
      const submit = button(v.submit.text, "bk-button primary", async () => {
        submit.disabled = true;
        status.textContent = "";
        const r = await post("view/submit", { view_id: m.id, values: BlockKit.values(body) });
        submit.disabled = false;
        if (!r.ok) status.textContent = explain(r);
        else if (r.outcome === "failed") status.textContent = r.message;
      });
      foot.appendChild(submit);
    }
    dlg.append(head, body, status, foot);
    backdrop.appendChild(dlg);
    root.replaceChildren(backdrop);
    if (kept) restore(body, kept);
    const first = body.querySelector("input, textarea, select");
    if (first && !kept) first.focus();
  }

  function render() {
    const d = S.data;
    if (!d) return;
    const who = $("#acting-as");
    if (!who.options.length) {
      d.users.forEach((u) => { const o = el("option", "", u.short || u.name); o.value = u.id; who.appendChild(o); });
    }
    who.value = S.me;
    $("#channel-pane").hidden = S.pane !== "channel";
    $("#home-pane").hidden = S.pane !== "home";
    $("#nav-channel").setAttribute("aria-current", String(S.pane === "channel"));
    $("#nav-home").setAttribute("aria-current", String(S.pane === "home"));
    renderChannel();
    renderThread();
    if (S.pane === "home") renderHome();
    renderModal();
  }

  function openThread(ts) {
    S.thread = ts;
    S.pane = "channel";
    render();
    const box = $("#reply-input");
    if (box) box.focus();
  }

  async function send(input, thread_ts) {
    const text = input.value;
    if (!text.trim()) { toast(ERRORS.no_text); return; }
    const r = await post("message", { text, thread_ts });
    if (!r.ok) { toast("⚠️ " + explain(r)); return; }
    input.value = "";
  }

  function composer(form, input, thread) {
    form.onsubmit = (ev) => { ev.preventDefault(); send(input, thread()); };
    input.onkeydown = (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); send(input, thread()); }
    };
  }

  function start() {
    if (!S.me) S.me = "U0PLAYYOU1";
    $("#acting-as").onchange = (ev) => {
      S.me = ev.target.value;
      sessionStorage.setItem("wb-playground-user", S.me);
      S.modalKey = null;
      $("#home-view").dataset.key = "";
      refresh();
      if (S.pane === "home") post("home", {});
    };
    $("#nav-channel").onclick = () => { S.pane = "channel"; render(); };
    $("#nav-home").onclick = () => { S.pane = "home"; $("#home-view").dataset.key = "-"; render(); post("home", {}); };
    $("#close-thread").onclick = () => { S.thread = null; render(); };
    composer($("#composer"), $("#message-input"), () => null);
    composer($("#reply-composer"), $("#reply-input"), () => S.thread);
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") document.querySelectorAll(".menu").forEach((m) => { m.hidden = true; });
    });
    const hash = new URLSearchParams(location.hash.slice(1));
    if (hash.get("thread")) S.thread = hash.get("thread");
    const live = new EventSource("/ui/events");
    live.addEventListener("change", () => { $("#live").textContent = "Live"; refresh(); });
    live.onerror = () => { $("#live").textContent = "Reconnecting…"; };
    refresh();
  }

  start();
})();
