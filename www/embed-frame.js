// embed.html: one <consortium-sim> filling the frame, for sites that take an iframe but not a
// script. The frame's query is a share link's query plus the element's attributes
// (`charts`, `figures`, `lang`, `autoplay`, `compare`); the rest is the scenario.
//
// The attributes are set before the element's module is loaded, so the element starts with
// them; in a frame it is in view at once, so it runs on load unless `autoplay=off`.

const ATTRIBUTES = ['charts', 'figures', 'lang', 'autoplay', 'compare'];

function configureElement(el, search) {
  const params = new URLSearchParams(search);
  for (const name of ATTRIBUTES) {
    if (params.has(name)) el.setAttribute(name, params.get(name));
    params.delete(name);
  }
  if (!el.hasAttribute('autoplay')) el.setAttribute('autoplay', '');
  el.setAttribute('scenario', params.toString());
  // The frame's document speaks the element's language (screen readers, fonts).
  const chosen = el.getAttribute('lang');
  if (chosen) document.documentElement.lang = chosen;
  else if ((navigator.language || '').toLowerCase().startsWith('zh')) document.documentElement.lang = 'zh-CN';
}

configureElement(document.querySelector('consortium-sim'), location.search);
await import('./embed/consortium-sim.js');
