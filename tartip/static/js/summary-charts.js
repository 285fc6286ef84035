// The results summary's charts (reporting.charts): each Vega-Lite spec is read from its element's
// data-spec attribute (htmx drops the script elements it swaps in) and drawn by vega-embed, its
// expressions evaluated by vega-interpreter (no eval under the CSP), on a canvas (vega's SVG
// renderer writes style attributes, which the CSP refuses).
//
// The builder's preview is replaced by htmx as the fields change. The chart elements carry no id:
// htmx gives a new element of an old one's id the old attributes until it settles, and the old
// spec would be drawn; a new chart element, empty, is drawn with its own.
(function () {
  "use strict";

  function draw(element) {
    if (!element.dataset.spec || element.firstElementChild) { return; }
    var view = document.createElement("div");
    view.className = "summary-chart__drawing";
    element.appendChild(view);
    vegaEmbed(view, JSON.parse(element.dataset.spec), {
      ast: true, expr: window.vegaExpressionInterpreter, renderer: "canvas", actions: false, defaultStyle: false,
      // vega-tooltip would inject a <style> element, which the CSP refuses: tartip.css styles it.
      tooltip: { disableDefaultStyle: true },
    }).then(function () {
      view.dataset.drawn = "drawn";
    }).catch(function (error) {
      element.classList.add("summary-chart__view--error");
      view.textContent = String(error);
    });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".summary-chart__view[data-spec]"), draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll();
    // htmx:load is dispatched on the new content, which is in the page (the replaced element is not).
    document.addEventListener("htmx:load", drawAll);
  });
})();
