// Starts reveal.js for an fmlab deck. Generated decks load this after reveal.js and its notes
// plugin; the slide size comes from this script tag's data attributes.
(function () {
  "use strict";
  var tag = document.currentScript;
  var width = Number(tag.getAttribute("data-width"));
  var height = Number(tag.getAttribute("data-height"));
  var printing = /print-pdf/.test(window.location.search);
  window.Reveal.initialize({
    width: width,
    height: height,
    margin: 0.04,
    // The slide's own layout places its contents; reveal.js only scales the whole slide.
    center: false,
    hash: true,
    // reveal.js turns narrow screens into a scrolling page; a deck stays a deck, scaled.
    scrollActivationWidth: null,
    transition: "none",
    backgroundTransition: "none",
    slideNumber: printing ? false : "c/t",
    // One PDF page per slide: fragments print in their final state, and a slide never
    // spills onto a second page (the browser test makes sure nothing overflows).
    pdfSeparateFragments: false,
    pdfMaxPagesPerSlide: 1,
    plugins: [window.RevealNotes],
  }).then(function () {
    document.documentElement.setAttribute("data-fmlab-ready", "true");
  });
})();
