/* The written answer's pages: several photos at once with a progress bar each,
   automatic retries with backoff, thumbnails, reorder (up/down), retake, delete, submit,
   the phone's QR code and the countdown. Every string comes translated from the
   page (json_script); the server decides everything, this only shows it. */
(function () {
  "use strict";
  if (window.attestationAnswers) return;
  window.attestationAnswers = true;

  var RETRIES = 5; // attempts after the first, 1 s, 2 s, 4 s, 8 s, 16 s apart (plus jitter)
  var PARALLEL = 3;
  var POLL_MS = 5000;
  var widgets = [];

  function fmt(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function readJSON(id) {
    var element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (error) {
      return null;
    }
  }

  function Answers(root) {
    this.root = root;
    this.url = root.dataset.pagesUrl;
    this.csrf = root.dataset.csrf;
    this.lang = root.dataset.lang;
    this.mode = root.dataset.mode;
    this.strings = readJSON(root.dataset.strings) || {};
    this.pages = readJSON(root.dataset.initial) || [];
    this.editable = root.dataset.editable === "1";
    this.maxBytes = Number(root.dataset.maxBytes);
    this.maxMb = root.dataset.maxMb;
    this.queue = [];
    this.active = 0;
    this.reserved = {};
    this.busy = false;
    this.changes = 0; // counts changes made here, so a stale read-back can be told apart
    this.list = root.querySelector("[data-answers-pages]");
    this.uploads = root.querySelector("[data-answers-uploads]");
    this.error = root.querySelector("[data-answers-error]");
    this.count = root.querySelector("[data-answers-count]");
    this.template = root.querySelector("[data-answers-page-template]");
    this.retakeInput = root.querySelector("[data-answers-retake]");
    this.retakeNumber = null;
    var self = this;
    root.querySelectorAll("[data-answers-input]").forEach(function (input) {
      input.addEventListener("change", function () {
        self.addFiles(Array.prototype.slice.call(input.files || []));
        input.value = "";
      });
    });
    if (this.retakeInput) {
      this.retakeInput.addEventListener("change", function () {
        var file = self.retakeInput.files && self.retakeInput.files[0];
        if (file && self.retakeNumber) self.enqueue(file, self.retakeNumber, true);
        self.retakeInput.value = "";
      });
    }
    this.list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-act]");
      if (!button || button.disabled) return;
      var number = Number(button.closest("[data-answers-page]").dataset.number);
      self.act(button.dataset.act, number);
    });
    this.render();
  }

  Answers.prototype.headers = function (xhr, json) {
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", this.csrf);
    if (this.lang) xhr.setRequestHeader("Accept-Language", this.lang);
    if (json) xhr.setRequestHeader("Content-Type", "application/json");
  };

  // A small JSON request; resolves {status, data}, rejects on a network failure.
  Answers.prototype.call = function (method, url, body) {
    var self = this;
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      self.headers(xhr, body !== undefined);
      xhr.onload = function () {
        resolve({ status: xhr.status, data: parse(xhr.responseText) });
      };
      xhr.onerror = xhr.ontimeout = function () {
        reject(new Error("network"));
      };
      xhr.timeout = 30000;
      xhr.send(body === undefined ? null : JSON.stringify(body));
    });
  };

  Answers.prototype.showError = function (message) {
    if (!this.error) return;
    this.error.textContent = message || "";
    this.error.hidden = !message;
  };

  Answers.prototype.failure = function (result) {
    return (result && result.data && result.data.detail) || this.strings.serverError;
  };

  // --- Uploads ---------------------------------------------------------------------------

  Answers.prototype.nextNumber = function () {
    var highest = 0;
    this.pages.forEach(function (page) {
      highest = Math.max(highest, page.number);
    });
    Object.keys(this.reserved).forEach(function (number) {
      highest = Math.max(highest, Number(number));
    });
    return highest + 1;
  };

  Answers.prototype.addFiles = function (files) {
    var self = this;
    this.showError("");
    // Numbers are given in the order chosen, so parallel uploads keep that order.
    files.forEach(function (file) {
      self.enqueue(file, self.nextNumber(), false);
    });
  };

  Answers.prototype.enqueue = function (file, number, replace) {
    var item = {
      file: file,
      number: number,
      replace: replace,
      attempt: 0,
      url: replace ? this.url + "/" + number + "/replace" : this.url,
    };
    if (!replace) this.reserved[number] = true;
    item.row = this.uploadRow(item);
    if (file.size > this.maxBytes) {
      this.fail(item, fmt(this.strings.tooLarge, { mb: this.maxMb }));
      return;
    }
    this.queue.push(item);
    this.pump();
  };

  Answers.prototype.uploadRow = function (item) {
    var row = document.createElement("li");
    row.className = "answers__upload";
    row.setAttribute("data-answers-upload", "");
    var name = document.createElement("span");
    name.className = "answers__upload-name";
    name.textContent = item.replace
      ? fmt(this.strings.retakeLabel, { number: item.number })
      : item.file.name || fmt(this.strings.page, { number: item.number });
    var percent = document.createElement("span");
    percent.className = "answers__upload-percent";
    percent.textContent = "0%";
    var bar = document.createElement("div");
    bar.className = "progress";
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.setAttribute("aria-valuenow", "0");
    bar.setAttribute("aria-label", name.textContent);
    var fill = document.createElement("div");
    fill.className = "progress__bar";
    bar.appendChild(fill);
    var status = document.createElement("span");
    status.className = "answers__upload-status";
    status.textContent = this.strings.waiting;
    row.append(name, percent, bar, status);
    this.uploads.appendChild(row);
    return { root: row, percent: percent, bar: bar, fill: fill, status: status };
  };

  Answers.prototype.progress = function (item, fraction) {
    var value = Math.round(fraction * 100);
    item.row.fill.style.width = value + "%";
    item.row.percent.textContent = value + "%";
    item.row.bar.setAttribute("aria-valuenow", String(value));
  };

  Answers.prototype.pump = function () {
    while (this.active < PARALLEL && this.queue.length) {
      var item = this.queue.shift();
      item.slot = true;
      this.active += 1;
      this.send(item);
    }
  };

  Answers.prototype.send = function (item) {
    var self = this;
    var form = new FormData();
    form.append("file", item.file, item.file.name || "photo.jpg");
    if (item.number && !item.replace) form.append("number", String(item.number));
    var xhr = new XMLHttpRequest();
    xhr.open("POST", item.url);
    this.headers(xhr, false);
    xhr.timeout = 180000;
    item.row.root.classList.remove("is-retrying");
    item.row.status.textContent = this.strings.uploading;
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) self.progress(item, event.loaded / event.total);
    };
    xhr.upload.onload = function () {
      self.progress(item, 1);
      item.row.status.textContent = self.strings.processing;
    };
    xhr.onload = function () {
      var data = parse(xhr.responseText);
      if (xhr.status === 200 || xhr.status === 201) return self.uploaded(item, data);
      if (xhr.status === 409 && data && data.code === "page_exists" && !item.replace && item.number) {
        // The phone (or another tab) took this number meanwhile: let the server pick one.
        delete self.reserved[item.number];
        item.number = null;
        return self.send(item);
      }
      if (xhr.status === 0 || xhr.status === 408 || xhr.status === 429 || xhr.status >= 500) {
        return self.retry(item);
      }
      self.fail(item, (data && data.detail) || self.strings.serverError);
    };
    xhr.onerror = xhr.ontimeout = function () {
      self.retry(item);
    };
    xhr.send(form);
  };

  // Network failures and server hiccups: try again with exponential backoff. A retry of a
  // photo that did land is answered with the page already stored, never a duplicate.
  Answers.prototype.retry = function (item) {
    var self = this;
    item.attempt += 1;
    if (item.attempt > RETRIES) return this.fail(item, this.strings.networkFailed);
    var seconds = Math.pow(2, item.attempt - 1);
    item.row.root.classList.add("is-retrying");
    item.row.status.textContent = fmt(this.strings.retrying, {
      seconds: seconds,
      attempt: item.attempt,
    });
    setTimeout(function () {
      self.send(item);
    }, seconds * 1000 + Math.random() * 400);
  };

  Answers.prototype.uploaded = function (item, page) {
    item.row.root.classList.add("is-done");
    item.row.status.textContent = fmt(this.strings.done, { number: page.number });
    this.pages = this.pages.filter(function (other) {
      return other.number !== page.number;
    });
    this.pages.push(page);
    this.changes += 1;
    this.render();
    this.finish(item);
    var row = item.row.root;
    setTimeout(function () {
      row.remove();
    }, 4000);
  };

  Answers.prototype.fail = function (item, message) {
    item.row.root.classList.remove("is-retrying");
    item.row.root.classList.add("is-failed");
    item.row.status.textContent = this.strings.failed + ": " + message;
    this.finish(item);
  };

  Answers.prototype.finish = function (item) {
    if (item.finished) return;
    item.finished = true;
    if (item.number && !item.replace) delete this.reserved[item.number];
    if (item.slot) this.active -= 1;
    this.pump();
    if (this.active === 0 && this.queue.length === 0) this.settle();
  };

  // After a batch: read the list back and quietly close any gap a refused photo left
  // (1, 2, 4 → 1, 2, 3). If the phone changed the list meanwhile, the server says no: fine.
  Answers.prototype.settle = function () {
    var self = this;
    this.refresh().then(function () {
      var numbers = self.pages.map(function (page) {
        return page.number;
      });
      var gap = numbers.some(function (number, index) {
        return number !== index + 1;
      });
      if (!gap || !self.editable || self.busy || self.active) return;
      self.call("POST", self.url + "/order", { numbers: numbers }).then(function (result) {
        if (result.status === 200 && Array.isArray(result.data)) {
          self.pages = result.data;
          self.render();
        }
      }, function () {});
    });
  };

  // --- The list ------------------------------------------------------------------------------

  // A list read back is dropped if the list changed while it was on its way: a move or an
  // upload answered meanwhile is newer than what the server read before it.
  Answers.prototype.refresh = function () {
    var self = this;
    var seen = this.changes;
    return this.call("GET", this.url).then(
      function (result) {
        if (seen !== self.changes) return;
        if (result.status === 200 && Array.isArray(result.data)) {
          self.pages = result.data;
          self.render();
        }
      },
      function () {}
    );
  };

  Answers.prototype.act = function (action, number) {
    var numbers = this.pages.map(function (page) {
      return page.number;
    });
    var index = numbers.indexOf(number);
    if (action === "up" || action === "down") {
      var other = action === "up" ? index - 1 : index + 1;
      if (index < 0 || other < 0 || other >= numbers.length) return;
      numbers[index] = numbers[other];
      numbers[other] = number;
      this.reorder(numbers, { moved: other, act: action });
    } else if (action === "delete") {
      if (!window.confirm(fmt(this.strings.confirmDelete, { number: number }))) return;
      this.change("DELETE", this.url + "/" + number);
    } else if (action === "retake" && this.retakeInput) {
      this.retakeNumber = number;
      this.retakeInput.click();
    }
  };

  Answers.prototype.reorder = function (numbers, focus) {
    return this.change("POST", this.url + "/order", { numbers: numbers }, focus);
  };

  Answers.prototype.change = function (method, url, body, focus) {
    var self = this;
    this.changes += 1;
    this.busy = true;
    this.render();
    return this.call(method, url, body)
      .then(
        function (result) {
          if (result.status === 200 && Array.isArray(result.data)) {
            self.showError("");
            self.pages = result.data;
          } else {
            self.showError(self.failure(result));
            return self.refresh();
          }
        },
        function () {
          self.showError(self.strings.networkFailed);
        }
      )
      .then(function () {
        self.busy = false;
        self.render();
        if (focus) self.focus(focus.moved, focus.act);
      });
  };

  // Keep the keyboard on the page that moved, so it can be moved again at once.
  Answers.prototype.focus = function (index, act) {
    var item = this.list.children[index];
    var button = item && item.querySelector('button[data-act="' + act + '"]');
    if (button && button.disabled) button = item.querySelector("button[data-act]:not([disabled])");
    if (button) button.focus();
  };

  Answers.prototype.render = function () {
    var self = this;
    var strings = this.strings;
    var warnings = strings.warnings || {};
    this.pages.sort(function (a, b) {
      return a.number - b.number;
    });
    var last = this.pages.length - 1;
    // The list is rebuilt on every change, including a read-back in the background: the
    // keyboard stays on the same button of the same page.
    var active = document.activeElement;
    var kept = null;
    if (active && active.dataset && active.dataset.act && this.list.contains(active)) {
      kept = { number: active.closest("[data-answers-page]").dataset.number, act: active.dataset.act };
    }
    this.list.textContent = "";
    this.pages.forEach(function (page, index) {
      var node = self.template.content.firstElementChild.cloneNode(true);
      var label = fmt(strings.page, { number: page.number });
      node.dataset.number = String(page.number);
      node.dataset.sha256 = page.sha256;
      node.querySelector("[data-answers-number]").textContent = label;
      var link = node.querySelector("[data-answers-link]");
      link.href = page.url;
      link.title = strings.open;
      var image = node.querySelector("[data-answers-img]");
      image.src = page.thumb_url;
      image.alt = label;
      var list = node.querySelector("[data-answers-warnings]");
      (page.warnings || []).forEach(function (code) {
        var item = document.createElement("li");
        item.dataset.warning = code;
        item.textContent = warnings[code] || code;
        list.appendChild(item);
      });
      if ((page.warnings || []).length) node.classList.add("has-warnings");
      node.querySelector("[data-answers-sha-label]").textContent = strings.sha;
      var sha = node.querySelector("[data-answers-sha]");
      sha.textContent = page.sha256.slice(0, 16) + "…";
      sha.title = page.sha256;
      var actions = node.querySelector("[data-answers-actions]");
      if (!self.editable) {
        actions.remove();
      } else {
        var buttons = {
          up: [strings.up, index === 0],
          down: [strings.down, index === last],
          retake: [strings.retakeLabel, false],
          delete: [strings.deleteLabel, false],
        };
        actions.querySelectorAll("button[data-act]").forEach(function (button) {
          var spec = buttons[button.dataset.act];
          button.setAttribute("aria-label", fmt(spec[0], { number: page.number }));
          button.title = fmt(spec[0], { number: page.number });
          button.disabled = spec[1] || self.busy;
          if (button.dataset.act === "retake") button.textContent = strings.retake;
          if (button.dataset.act === "delete") button.textContent = strings.delete;
        });
      }
      self.list.appendChild(node);
    });
    if (kept) {
      var again = this.list.querySelector(
        '[data-number="' + kept.number + '"] button[data-act="' + kept.act + '"]'
      );
      if (again && !again.disabled) again.focus();
    }
    if (this.count) {
      this.count.textContent = this.pages.length
        ? fmt(strings.pageCount, { count: this.pages.length })
        : strings.noPages;
    }
  };

  Answers.prototype.close = function () {
    this.editable = false;
    this.root.dataset.editable = "0";
    this.root.querySelectorAll("[data-answers-pick]").forEach(function (pick) {
      pick.hidden = true;
    });
    this.render();
  };

  // --- The panel: phone link, submit, countdown ----------------------------------------------

  function panel(section, widget) {
    if (!widget) return;
    var phone = section.querySelector("[data-answers-phone]");
    var poller = null;
    if (phone) {
      phone.addEventListener("click", function () {
        phone.disabled = true;
        widget.call("POST", phone.dataset.answersPhone).then(
          function (result) {
            phone.disabled = false;
            if (result.status !== 201) return widget.showError(widget.failure(result));
            var box = section.querySelector("[data-answers-qr]");
            // Our own server's SVG (segno), not user content.
            box.querySelector("[data-answers-qr-code]").innerHTML = result.data.svg;
            var link = box.querySelector("[data-answers-qr-link]");
            link.href = result.data.url;
            link.textContent = result.data.url;
            var expires = new Date(result.data.expires_at);
            box.querySelector("[data-answers-qr-expires]").textContent = fmt(
              widget.strings.linkExpires,
              { time: expires.toLocaleTimeString(widget.lang, { hour: "2-digit", minute: "2-digit" }) }
            );
            box.hidden = false;
            // Photos from the phone appear here without reloading.
            if (!poller) {
              poller = setInterval(function () {
                if (document.visibilityState === "visible" && widget.active === 0 && !widget.busy) {
                  widget.refresh();
                }
              }, POLL_MS);
            }
          },
          function () {
            phone.disabled = false;
            widget.showError(widget.strings.networkFailed);
          }
        );
      });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && widget.active === 0) widget.refresh();
    });
    var submit = section.querySelector("[data-answers-submit]");
    if (submit) {
      submit.addEventListener("click", function () {
        if (!window.confirm(widget.strings.confirmSubmit)) return;
        submit.disabled = true;
        widget.call("POST", submit.dataset.answersSubmit).then(
          function (result) {
            if (result.status === 200) return window.location.reload();
            submit.disabled = false;
            widget.showError(widget.failure(result));
          },
          function () {
            submit.disabled = false;
            widget.showError(widget.strings.networkFailed);
          }
        );
      });
    }
  }

  function clock(element, strings) {
    var skew = Date.parse(element.dataset.now) - Date.now(); // server time minus ours
    var writingEnds = element.dataset.writingEnds ? Date.parse(element.dataset.writingEnds) : null;
    var closes = element.dataset.uploadCloses ? Date.parse(element.dataset.uploadCloses) : null;
    var timer = element.querySelector("[data-answers-timer]");
    if (!closes || !strings) return;

    function left(ms) {
      var total = Math.max(0, Math.floor(ms / 1000));
      var hours = Math.floor(total / 3600);
      var minutes = Math.floor((total % 3600) / 60);
      var seconds = total % 60;
      var pad = function (n) {
        return (n < 10 ? "0" : "") + n;
      };
      return (hours ? hours + ":" + pad(minutes) : String(minutes)) + ":" + pad(seconds);
    }

    function tick() {
      // A countdown drawn again (exam_state.js: the window was extended) replaces this one.
      if (!element.isConnected) return;
      var now = Date.now() + skew;
      if (writingEnds && now < writingEnds) {
        timer.textContent = fmt(strings.writing, { time: left(writingEnds - now) });
      } else if (now < closes) {
        element.classList.add("is-upload");
        timer.textContent = fmt(strings.upload, { time: left(closes - now) });
      } else {
        element.classList.remove("is-upload");
        element.classList.add("is-closed");
        timer.textContent = strings.closed;
        widgets.forEach(function (widget) {
          if (widget.editable) widget.close();
        });
        document.querySelectorAll("[data-answers-submit], [data-answers-phone]").forEach(
          function (button) {
            button.disabled = true;
          }
        );
        return;
      }
      setTimeout(tick, 1000 - ((Date.now() + skew) % 1000));
    }
    tick();
  }

  function start() {
    document.querySelectorAll("[data-answers]").forEach(function (root) {
      if (root.dataset.ready) return;
      root.dataset.ready = "1";
      widgets.push(new Answers(root));
    });
    document.querySelectorAll("[data-answers-panel]").forEach(function (section) {
      if (section.dataset.ready) return;
      section.dataset.ready = "1";
      var root = section.querySelector("[data-answers]");
      var widget = widgets.filter(function (w) {
        return w.root === root;
      })[0];
      panel(section, widget);
    });
    document.querySelectorAll("[data-answers-countdown]").forEach(function (element) {
      if (element.dataset.ready) return;
      element.dataset.ready = "1";
      clock(element, widgets.length ? widgets[0].strings : null);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // The panel drawn again after a change of state (exam_state.js).
  document.addEventListener("attestation:refreshed", start);
})();
