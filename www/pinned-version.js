// The warning shown when the page is opened from a link made with another model version.
//
// A link names the model version it was made with (`v=`, url-state.js). Another version may
// give other numbers for the same scenario, so the page says so above everything else, naming
// both versions, and stays usable. The build keeps each released version under
// `v/<version>/` beside the current one (scripts/build-versions.sh, which also writes the
// list `v/versions.json`); when the archive holds the link's version, the warning offers to
// open the link with it: the same query at `v/<version>/index.html`, without `v=`, as the
// path names the version (and versions older than 0.2.0 know no `v=`).

import { t, onLanguageChange } from './i18n.js';

/** The site's root (where `v/` is), also from a page that is itself an archived copy. */
export function siteRoot(href = location.href) {
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/v\/\d+\.\d+\.\d+\/(index\.html)?$/, '/').replace(/[^/]*$/, '');
  return url;
}

/** The address of the link's scenario in the archived version `version`. */
export function archivedHref(version, search, href = location.href) {
  const params = new URLSearchParams(search);
  params.delete('v');
  const query = params.toString();
  return new URL(`v/${version}/index.html${query ? `?${query}` : ''}`, siteRoot(href)).href;
}

/** The versions the archive holds (`v/versions.json`), or [] when there is no archive. */
async function archivedVersions() {
  try {
    const reply = await fetch(new URL('v/versions.json', siteRoot()), { cache: 'no-store' });
    if (!reply.ok) return [];
    const list = await reply.json();
    return (list.versions || []).map((v) => v.version);
  } catch {
    return [];
  }
}

/**
 * Shows the warning after `after` when `linkVersion` is given and differs from
 * `modelVersion`; does nothing otherwise. Resolves once the archive has been looked up (for
 * tests: `window.__explorer.versionNotice`).
 * @param {object} deps
 * @param {Element} deps.after the element the warning follows (the page's banner)
 * @param {string|null} deps.linkVersion the link's `v=`
 * @param {string} deps.modelVersion the model this page runs
 * @param {string} deps.search the link's query
 */
export async function createVersionNotice({ after, linkVersion, modelVersion, search }) {
  if (!linkVersion || linkVersion === modelVersion) return null;
  const box = document.createElement('div');
  box.className = 'version-notice';
  box.setAttribute('role', 'alert');
  box.dataset.versionNotice = '';
  const text = document.createElement('p');
  const action = document.createElement('p');
  box.append(text, action);
  after.after(box);
  /** Whether the archive holds the link's version (null until known). */
  let archived = null;

  function render() {
    text.textContent = t('pinned.otherVersion', { linked: linkVersion, current: modelVersion });
    if (archived === null) {
      action.replaceChildren();
    } else if (archived) {
      const a = document.createElement('a');
      a.href = archivedHref(linkVersion, search);
      a.dataset.action = 'open-archived';
      a.textContent = t('pinned.openArchived', { version: linkVersion });
      action.replaceChildren(a);
    } else {
      action.textContent = t('pinned.notArchived', { version: linkVersion });
    }
  }

  render();
  onLanguageChange(render);
  archived = (await archivedVersions()).includes(linkVersion);
  render();
  box.dataset.archived = String(archived);
  return box;
}
