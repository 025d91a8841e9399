// Behaviour shared by every page, in a static file so that the Content-Security-Policy allows no
// inline script or event handler: elements declare what they do with data-* attributes.
//   data-toggle-target="#nav" [data-toggle-class="show"]   a click toggles a class on another element
//                                                         (an open .dropdown-menu closes on any other click)
//   data-print                                            a click prints the page
//   data-autosubmit (on a select or input)                a change submits its form
//   data-confirm="确定删除？" (on a form)                   submitting asks first
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-toggle-target]");
  // A click anywhere else closes an open drop-down menu.
  document.querySelectorAll(".dropdown-menu.show").forEach(function (menu) {
    if (!toggle || document.querySelector(toggle.getAttribute("data-toggle-target")) !== menu) {
      menu.classList.remove("show");
      var owner = document.querySelector('[data-toggle-target="#' + menu.id + '"]');
      if (owner) owner.setAttribute("aria-expanded", "false");
    }
  });
  if (toggle) {
    if (toggle.getAttribute("href") === "#") event.preventDefault();
    var target = document.querySelector(toggle.getAttribute("data-toggle-target"));
    if (target) {
      var open = target.classList.toggle(toggle.getAttribute("data-toggle-class") || "show");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
