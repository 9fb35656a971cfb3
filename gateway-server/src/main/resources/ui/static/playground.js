// The playground: streams a chat answer and then shows its tokens, cost and the key's budgets.
// A picked key: POST /ui/playground/chat (session + CSRF token), the server runs it as that key.
// A pasted key: straight to /v1/chat/completions with the key in the Authorization header; it is
// never sent to a UI endpoint or stored. Both answer OpenAI's SSE chunks, read the same way.
// Everything from the server is put in the page as text (textContent), never as markup.
(function () {
  "use strict";
  var form = document.getElementById("pg-form");
  if (!form) {
    return;
  }
  var csrf = form.getAttribute("data-csrf");
  var keySel = document.getElementById("pg-key");
  var pasted = document.getElementById("pg-pasted");
  var modelSel = document.getElementById("pg-model");
  var output = document.getElementById("pg-output");
  var errorBox = document.getElementById("pg-error");
  var state = document.getElementById("pg-state");

  function text(id, value) {
    document.getElementById(id).textContent = value;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function setModels(names) {
    modelSel.textContent = "";
    if (names.length === 0) {
      modelSel.appendChild(new Option("no model allowed", ""));
    }
    names.forEach(function (n) {
      modelSel.appendChild(new Option(n, n));
    });
  }

  // The API's error shape: {"error":{"message":...}}; anything else becomes its status line.
  function errorOf(response) {
    return response.text().then(function (body) {
      try {
        return JSON.parse(body).error.message;
      } catch (e) {
        return "HTTP " + response.status;
      }
    });
  }

  function showBudgets(budgets) {
    var body = document.querySelector("#pg-budgets tbody");
    body.textContent = "";
    if (budgets.length === 0) {
      var tr = body.insertRow();
      var td = tr.insertCell();
      td.colSpan = 6;
      td.className = "empty";
      td.textContent = "No daily or monthly budget applies to this key.";
      return;
    }
    budgets.forEach(function (b) {
      var tr = body.insertRow();
      tr.setAttribute("data-remaining", b.remaining_usd);
      tr.setAttribute("data-window", b.window);
      tr.setAttribute("data-scope", b.scope);
      [b.scope, b.window, b.limit, b.spent, b.remaining, b.resets_at].forEach(function (v, i) {
        var td = tr.insertCell();
        td.textContent = v;
        if (i >= 2 && i <= 4) {
          td.className = "num";
        }
      });
    });
  }

  function status(query) {
    return fetch("/ui/playground/status?" + query, { credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.json() : Promise.reject(new Error("could not read the request's cost"));
      })
      .then(function (s) {
        if (s.request) {
          text("pg-request", s.request.id);
          text("pg-result-key", s.request.key);
          text("pg-prompt-tokens", s.request.prompt_tokens);
          text("pg-completion-tokens", s.request.completion_tokens);
          text("pg-cost", "$" + s.request.cost_usd);
          document.getElementById("pg-cost").setAttribute("data-usd", s.request.cost_usd);
        }
        showBudgets(s.budgets || []);
      });
  }

  keySel.addEventListener("change", function () {
    errorBox.hidden = true;
    if (!keySel.value) {
      return;
    }
    pasted.value = "";
    var q = "id=" + encodeURIComponent(keySel.value);
    fetch("/ui/playground/models?" + q, { credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.json() : errorOf(r).then(function (m) { throw new Error(m); });
      })
      .then(function (m) { setModels(m.models); })
      .catch(function (e) { setModels([]); showError(e.message); });
    status("key=" + encodeURIComponent(keySel.value)).catch(function () {});
  });

  pasted.addEventListener("change", function () {
    errorBox.hidden = true;
    if (!pasted.value.trim()) {
      return;
    }
    keySel.value = "";
    fetch("/v1/models", { headers: { Authorization: "Bearer " + pasted.value.trim() } })
      .then(function (r) {
        return r.ok ? r.json() : errorOf(r).then(function (m) { throw new Error(m); });
      })
      .then(function (m) { setModels(m.data.map(function (d) { return d.id; })); })
      .catch(function (e) { setModels([]); showError(e.message); });
  });

  function start(message) {
    var key = pasted.value.trim();
    if (key) {
      return fetch("/v1/chat/completions", {
        method: "POST",
        headers: { Authorization: "Bearer " + key, "Content-Type": "application/json" },
        body: JSON.stringify({
          model: modelSel.value,
          messages: [{ role: "user", content: message }],
          stream: true,
          stream_options: { include_usage: true }
        })
      });
    }
    var body = new URLSearchParams();
    body.set("key", keySel.value);
    body.set("model", modelSel.value);
    body.set("message", message);
    return fetch("/ui/playground/chat", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf },
      body: body
    });
  }

  // Reads "data: {...}" events; returns the request id (the chunks' id).
  function relay(response) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    var id = null;
    function handle(line) {
      if (line.indexOf("data: ") !== 0) {
        return;
      }
      var data = line.slice(6);
      if (data === "[DONE]") {
        return;
      }
      var chunk = JSON.parse(data);
      if (chunk.error) {
        showError(chunk.error.message);
        return;
      }
      id = chunk.id || id;
      (chunk.choices || []).forEach(function (c) {
        if (c.delta && c.delta.content) {
          output.textContent += c.delta.content;
        }
      });
      if (chunk.usage) {
        text("pg-prompt-tokens", chunk.usage.prompt_tokens);
        text("pg-completion-tokens", chunk.usage.completion_tokens);
      }
    }
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) {
          return id;
        }
        buffer += decoder.decode(r.value, { stream: true });
        var lines = buffer.split("\n");
        buffer = lines.pop();
        lines.forEach(handle);
        return pump();
      });
    }
    return pump();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    output.textContent = "";
    ["pg-request", "pg-result-key", "pg-prompt-tokens", "pg-completion-tokens", "pg-cost"].forEach(
      function (id) { text(id, "-"); });
    if (!keySel.value && !pasted.value.trim()) {
      showError("Choose a key or paste one.");
      return;
    }
    state.textContent = "streaming…";
    start(document.getElementById("pg-message").value)
      .then(function (response) {
        if (!response.ok) {
          return errorOf(response).then(function (m) { throw new Error(m); });
        }
        return relay(response);
      })
      .then(function (id) {
        state.textContent = "done";
        return id ? status("request=" + encodeURIComponent(id)) : null;
      })
      .catch(function (e) {
        state.textContent = "refused";
        showError(e.message);
      });
  });
})();
