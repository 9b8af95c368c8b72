// The figures the reader moves (slider="…" on a code fence: bookbuild/execute.py). Each is one
// image per frame and a range input over the frames' positions; the build hides the input and
// every frame but one, so that a page read without scripts shows that frame and no control that
// does nothing (where scripts run, the stylesheet lays the input out from the first paint, and this
// script un-hides it). Moving the input shows its frame, says the frame's value beside it and to a
// screen reader (aria-valuetext), and describes the input by the frame shown, whose alt text says
// what it shows. Nothing moves by itself.
(() => {
  for (const frames of document.querySelectorAll(".book-frames")) {
    const controls = frames.querySelector(".book-frames-controls");
    const input = controls.querySelector("input");
    const value = controls.querySelector(".book-frames-value");
    const images = [...frames.querySelectorAll("figure img")];
    input.addEventListener("input", () => {
      const shown = images[input.valueAsNumber];
      for (const image of images) image.hidden = image !== shown;
      value.textContent = shown.dataset.value;
      input.setAttribute("aria-valuetext", shown.dataset.value);
      input.setAttribute("aria-describedby", shown.id);
    });
    // A hidden frame is a lazy image the browser has not fetched: once the reader reaches for the
    // slider, fetch them all, so that each shows at once when its turn comes.
    const fetchFrames = () => images.forEach(image => { image.loading = "eager"; });
    for (const event of ["focus", "pointerdown"]) input.addEventListener(event, fetchFrames, {once: true});
    controls.hidden = false;
  }
})();
