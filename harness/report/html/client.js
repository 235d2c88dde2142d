// Language switch for the ichiren report: Japanese first; the choice is kept in localStorage,
// which some browsers refuse for file:// pages, hence the guards. Printing opens every scenario.
(() => {
  const KEY = 'ichiren.report.lang';
  const root = document.documentElement;
  const read = () => {
    try {
      return window.localStorage.getItem(KEY);
    } catch {
      return null;
    }
  };
  const write = (lang) => {
    try {
      window.localStorage.setItem(KEY, lang);
    } catch {
      // file:// without storage: the switch still works for this page view.
    }
  };
  const apply = (lang) => {
    root.lang = lang;
    root.dataset.lang = lang;
    for (const b of document.querySelectorAll('[data-set-lang]')) {
      b.setAttribute('aria-pressed', String(b.dataset.setLang === lang));
    }
    const title = root.dataset[`title${lang === 'ja' ? 'Ja' : 'En'}`];
    if (title) document.title = title;
  };
  const fromQuery = new URLSearchParams(window.location.search).get('lang');
  const initial = fromQuery === 'ja' || fromQuery === 'en' ? fromQuery : read();
  apply(initial === 'en' ? 'en' : 'ja');
  for (const b of document.querySelectorAll('[data-set-lang]')) {
    b.addEventListener('click', () => {
      apply(b.dataset.setLang);
      write(b.dataset.setLang);
    });
  }
  window.addEventListener('beforeprint', () => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
})();
