/* Progressive enhancement for the journalists' pages. Every page works without it. */
"use strict";

/* On a phone the main menu folds behind its "Menu" button (lootwatch.css), so the header
   takes a line rather than a sixth of the screen; without this script the links show. */
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  const toggle = event.target.closest(".menu-toggle");
  if (!toggle) return;
  const menu = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  if (menu) menu.classList.toggle("open", open);
});

/* A form sent back (refused fields, a stale edit, a possible duplicate) opens on what went
   wrong: focus moves to its summary, so that keyboard and screen reader users land on the
   problem, and Tab goes on to the fields below it, instead of starting again at the top. */
document.addEventListener("DOMContentLoaded", function () {
  const summary = document.querySelector("[data-focus-on-load]");
  if (summary) summary.focus();
});

/* A log form's text fields stop at their maximum length (maxlength), so that a paste never
   sends more than the server takes; but the browser cuts a longer paste without a word. Say
   so next to the field, so that a statement is not saved cut short unnoticed. */
document.addEventListener("paste", function (event) {
  const field = event.target;
  if (!field.closest || !field.closest("form.log-form") || !(field.maxLength > 0)) return;
  const pasted = event.clipboardData ? event.clipboardData.getData("text").length : 0;
  let selected = 0;
  try {
    selected = field.selectionEnd - field.selectionStart;
  } catch (error) {
    // Fields without a text selection (none of the log forms' texts) replace nothing.
  }
  const room = field.maxLength - (field.value.length - selected);
  const holder = field.parentElement;
  const previous = holder.querySelector(".paste-cut");
  if (previous) previous.remove();
  if (pasted <= room) return;
  const language = document.documentElement.lang || "en";
  const note = document.createElement("p");
  note.className = "paste-cut";
  note.setAttribute("role", "alert");
  note.textContent = interpolate(
    gettext("At most %(limit)s characters fit here: %(kept)s of the %(pasted)s you pasted were kept, the rest left out."),
    {
      kept: Math.max(room, 0).toLocaleString(language),
      pasted: pasted.toLocaleString(language),
      limit: field.maxLength.toLocaleString(language),
    },
    true
  );
  field.insertAdjacentElement("afterend", note);
});

/* "Add another" buttons of Django formsets: copy the blank form kept in a <template>,
   number it, and bump the formset's TOTAL_FORMS. */
function addFormsetForm(prefix) {
  const container = document.getElementById(prefix + "-forms");
  const template = document.getElementById(prefix + "-empty");
  const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  const max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
  if (!container || !template || !total) return;
  const index = parseInt(total.value, 10);
  if (max && index >= parseInt(max.value, 10)) return;
  const html = template.innerHTML.replace(/__prefix__/g, String(index));
  const holder = document.createElement("div");
  holder.innerHTML = html.trim();
  const form = holder.firstElementChild;
  const legend = form.querySelector("legend");
  if (legend) numberLegend(legend, index + 1);
  // A claim may only be known through an earlier claim of the form.
  form.querySelectorAll("select[name$='-reported_via_number'] option").forEach(function (option) {
    if (option.value !== "" && parseInt(option.value, 10) >= index) option.remove();
  });
  container.appendChild(form);
  total.value = String(index + 1);
  if (prefix === "claims") offerClaimToRoute(index);
  if (window.htmx) window.htmx.process(form);
  const first = form.querySelector("input:not([type=hidden]), select, textarea");
  if (first) first.focus();
}

/* A copied form's legend, numbered as the server numbers the forms it renders: "Claim 2",
   and the route's points, where the number belongs inside the words ("Place 2 the goods were
   taken to", in Ukrainian "Місце 2, куди вивезли майно"). */
function numberLegend(legend, number) {
  if (legend.dataset.numbered === "route") {
    const words = gettext("Place %(number)s the goods were taken to");
    legend.textContent = interpolate(words, { number: number }, true);
  } else {
    legend.textContent = legend.textContent.trim() + " " + number;
  }
}

/* Each point of the route may cite the claims of the form by number: a claim added to the
   form is offered to every point, and to the blank point the "add another" button copies. */
function offerClaimToRoute(index) {
  const blank = document.getElementById("route-empty");
  const scopes = [document];
  if (blank) scopes.push(blank.content);
  scopes.forEach(function (scope) {
    scope.querySelectorAll("[data-claim-choices]").forEach(function (choices) {
      const name = choices.dataset.claimChoices;
      if (choices.querySelector("input[value='" + index + "']")) return;
      const list = choices.querySelector("[id='id_" + name + "']") || choices;
      const id = "id_" + name + "_" + index;
      const option = document.createElement("div");
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = String(index);
      box.id = id;
      label.htmlFor = id;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + interpolate(gettext("Claim %s"), [index + 1])));
      option.appendChild(label);
      list.appendChild(option);
    });
  });
}

/* SHA-256 of the chosen evidence files, so the duplicate check can name a file already held
   before anything is uploaded. Only where the browser offers crypto.subtle (HTTPS, localhost);
   the server checks again on submit in any case. */
async function digestFiles(form) {
  const target = form.querySelector("#evidence-digests");
  if (!target || !window.crypto || !window.crypto.subtle) return;
  const digests = [];
  for (const input of form.querySelectorAll("input[type=file]")) {
    for (const file of input.files) {
      const buffer = await file.arrayBuffer();
      const hash = await window.crypto.subtle.digest("SHA-256", buffer);
      digests.push(Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join(""));
    }
  }
  target.value = digests.join(",");
  if (window.htmx) window.htmx.trigger(form, "change");
}

document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-formset-add]");
  if (!button) return;
  event.preventDefault();
  addFormsetForm(button.dataset.formsetAdd);
});

document.addEventListener("change", function (event) {
  const input = event.target;
  if (input.matches && input.matches("input[type=file]") && input.form) {
    digestFiles(input.form);
  }
  // Picking "a new source" or "a new place" opens the section where it is described.
  if (input.matches && input.matches("select[data-new-opens]") && input.value === "new") {
    const scope = input.closest("fieldset") || input.form;
    const details = scope && scope.querySelector("details." + input.dataset.newOpens);
    if (details) {
      details.open = true;
      const first = details.querySelector("input, select, textarea");
      if (first) first.focus();
    }
  }
});

/* Filter forms leave unused fields out of the address, so links stay short and readable. */
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (!form.classList || !form.classList.contains("filters")) return;
  form.querySelectorAll("input, select").forEach(function (field) {
    if (!field.name || field.type === "submit") return;
    const unchecked = field.type === "checkbox" && !field.checked;
    if (unchecked || field.value === "") field.disabled = true;
  });
});

/* A place or source search box (the log form's pickers, the list's place filter) and the
   select it fills: the down arrow, or Enter, moves to the suggestions (Enter must not send the whole
   form half-filled), where the arrows choose one. */
document.addEventListener("keydown", function (event) {
  const box = event.target;
  if (!(box instanceof HTMLInputElement)) return;
  if (box.name !== "place_search" && box.name !== "source_search") return;
  if (event.key !== "ArrowDown" && event.key !== "Enter") return;
  const select = document.getElementById(box.getAttribute("aria-controls") || "");
  if (!select) return;
  event.preventDefault();
  if (event.key === "Enter" && window.htmx) window.htmx.trigger(box, "search");
  select.focus();
});
