// Slack mrkdwn → DOM nodes, as Slack draws it: *bold*, _italic_, ~strike~,
// `code`, ```pre```, > quotes, lists, <links|text>, <@U…> and <#C…> mentions,
// :emoji:. Text only ever becomes text nodes: nothing is parsed as HTML.
"use strict";
(function () {
  const EMOJI = {
    "+1": "👍", thumbsup: "👍", "-1": "👎", question: "❓", lock: "🔒", memo: "📝",
    busts_in_silhouette: "👥", book: "📖", white_check_mark: "✅", warning: "⚠️",
    mag: "🔍", speech_balloon: "💬", page_facing_up: "📄", tada: "🎉", eyes: "👀",
    heart: "❤️", rocket: "🚀", bulb: "💡", x: "❌", heavy_check_mark: "✔️",
    grey_question: "❔", hourglass: "⌛", calendar: "📆", link: "🔗", fire: "🔥",
    smile: "😄", wave: "👋", raised_hands: "🙌", pushpin: "📌", bar_chart: "📊",
    clipboard: "📋", star: "⭐", sparkles: "✨", ok_hand: "👌", thinking_face: "🤔",
    hourglass_flowing_sand: "⏳", information_source: "ℹ️", no_entry: "⛔", scroll: "📜",
    spiral_note_pad: "🗒️", pencil: "📝", pencil2: "✏️", chart_with_upwards_trend: "📈",
    money_with_wings: "💸", moneybag: "💰", dart: "🎯", stopwatch: "⏱️", alarm_clock: "⏰",
    hammer_and_wrench: "🛠️", package: "📦", inbox_tray: "📥", outbox_tray: "📤",
    white_circle: "⚪", large_green_circle: "🟢", red_circle: "🔴", large_yellow_circle: "🟡",
    arrow_right: "➡️", point_right: "👉", handshake: "🤝", trophy: "🏆", bell: "🔔",
    thumbsdown: "👎", slightly_smiling_face: "🙂", wrench: "🔧", gear: "⚙️", lock_with_ink_pen: "🔏",
  };

  function emoji(name) {
    const base = name.replace(/::skin-tone-\d$/, "");
    return EMOJI[base] || null;
  }

  // Slack's own escaping: &amp; &lt; &gt; in message text.
  function decode(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function textWithEmoji(parent, text) {
    const re = /:([a-z0-9_+'-]+(?:::skin-tone-\d)?):/g;
    let last = 0, m;
    while ((m = re.exec(text))) {
      const e = emoji(m[1]);
      if (!e) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      const span = document.createElement("span");
      span.className = "emoji";
      span.title = ":" + m[1] + ":";
      span.textContent = e;
      parent.appendChild(span);
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function safeUrl(url, ctx) {
    const u = decode(url.trim());
    const local = ctx && ctx.localLink ? ctx.localLink(u) : null;
    if (local) return local;
    if (/^(https?:|mailto:)/i.test(u)) return u;
    return null;
  }

  // <…> specials: links, mentions, channel, special mentions, dates.
  function special(inner, ctx) {
    const [target, label] = splitOnce(inner, "|");
    const span = document.createElement("span");
    if (target.startsWith("@")) {
      span.className = "mention";
      span.textContent = "@" + (ctx.userName ? ctx.userName(target.slice(1)) : target.slice(1));
      return span;
    }
    if (target.startsWith("#")) {
      span.className = "mention";
      span.textContent = "#" + (label || (ctx.channelName ? ctx.channelName(target.slice(1)) : target.slice(1)));
      return span;
    }
    if (target.startsWith("!")) {
      span.className = "mention";
      const word = target.slice(1).split("^")[0];
      if (word === "date") {
        span.className = "";
        span.textContent = decode(label || target);
        return span;
      }
      span.textContent = label ? decode(label) : "@" + word;
      return span;
    }
    const href = safeUrl(target, ctx);
    if (!href) {
      span.textContent = decode(label || target);
      return span;
    }
    const a = document.createElement("a");
    a.href = href;
    if (!href.startsWith("/")) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    textWithEmoji(a, decode(label || target));
    return a;
  }

  function splitOnce(s, sep) {
    const i = s.indexOf(sep);
    return i < 0 ? [s, null] : [s.slice(0, i), s.slice(i + 1)];
  }

  const WRAP = { "*": "b", _: "i", "~": "s" };

  // One line of inline mrkdwn.
  function inline(parent, text, ctx) {
    // A mark with no closing one left is not searched for again (linear time).
    let i = 0, buf = "";
    const dead = {};
    const flush = () => { if (buf) { textWithEmoji(parent, decode(buf)); buf = ""; } };
    while (i < text.length) {
      const c = text[i];
      if (c === "<" && !dead[c]) {
        const end = text.indexOf(">", i + 1);
        if (end < 0) dead[c] = true;
        if (end > i + 1) {
          flush();
          parent.appendChild(special(text.slice(i + 1, end), ctx));
          i = end + 1;
          continue;
        }
      }
      if (c === "`" && !dead[c]) {
        const end = text.indexOf("`", i + 1);
        if (end < 0) dead[c] = true;
        if (end > i + 1) {
          flush();
          const code = document.createElement("code");
          code.textContent = decode(text.slice(i + 1, end));
          parent.appendChild(code);
          i = end + 1;
          continue;
        }
      }
      if (WRAP[c] && !dead[c]) {
        const before = i === 0 ? " " : text[i - 1];
        const end = text.indexOf(c, i + 1);
        if (end < 0) dead[c] = true;
        const after = end < 0 ? "" : (text[end + 1] || " ");
        if (end > i + 1 && /[\s(\[{"'“‘>]/.test(before) && /[\s)\]}.,!?:;"'”’<]/.test(after) &&
            text[i + 1] !== " " && text[end - 1] !== " ") {
          flush();
          const el = document.createElement(WRAP[c]);
          inline(el, text.slice(i + 1, end), ctx);
          parent.appendChild(el);
          i = end + 1;
          continue;
        }
      }
      buf += c;
      i++;
    }
    flush();
  }

  // A block of mrkdwn: code fences, quotes, lists and lines.
  function render(text, ctx) {
    ctx = ctx || {};
    const root = document.createElement("div");
    root.className = "mrkdwn";
    const parts = String(text || "").split("```");
    parts.forEach((part, n) => {
      if (n % 2 === 1) {
        const pre = document.createElement("pre");
        pre.textContent = decode(part.replace(/^\n/, ""));
        root.appendChild(pre);
        return;
      }
      let list = null, quote = null;
      part.split("\n").forEach((line, k, lines) => {
        if (k === lines.length - 1 && line === "" && lines.length > 1) return;
        const q = /^>\s?(.*)$/.exec(line);
        if (q) {
          if (!quote) { quote = document.createElement("blockquote"); root.appendChild(quote); list = null; }
          const div = document.createElement("div");
          inline(div, q[1], ctx);
          quote.appendChild(div);
          return;
        }
        quote = null;
        const item = /^\s*(?:[•◦▪]|-|\d+\.)\s+(.*)$/.exec(line);
        if (item) {
          const ordered = /^\s*\d+\./.test(line);
          const tag = ordered ? "OL" : "UL";
          if (!list || list.tagName !== tag) { list = document.createElement(tag.toLowerCase()); root.appendChild(list); }
          const li = document.createElement("li");
          inline(li, item[1], ctx);
          list.appendChild(li);
          return;
        }
        list = null;
        const div = document.createElement("div");
        div.className = "line";
        if (line === "") div.appendChild(document.createElement("br"));
        else inline(div, line, ctx);
        root.appendChild(div);
      });
    });
    return root;
  }

  // plain_text objects: no formatting, emoji only when asked.
  function plain(text, withEmoji) {
    const span = document.createElement("span");
    if (withEmoji === false) span.textContent = text || "";
    else textWithEmoji(span, text || "");
    return span;
  }

  window.Mrkdwn = { render, plain, emoji, decode };
})();
