// embed-demo.html: the briefing page that shows <consortium-sim> at work. The page is written
// in both languages; `?lang=zh-CN` (or `en`) picks one, else the browser's. The elements carry
// no `lang` of their own, so they follow the document's, which is set here before the element's
// module is loaded.

function pageLanguage(search) {
  const asked = (new URLSearchParams(search).get('lang') || '').toLowerCase();
  if (asked === 'zh-cn' || asked === 'zh') return 'zh-CN';
  if (asked === 'en') return 'en';
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

document.documentElement.lang = pageLanguage(location.search);
await import('./embed/consortium-sim.js');
