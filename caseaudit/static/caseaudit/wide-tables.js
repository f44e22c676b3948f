// A table wider than the screen scrolls inside its own region, so the page never scrolls
// sideways (WCAG 1.4.10, Reflow: a 390 px phone). Pages that know a table is wide say so in
// their template (<div class="ca-scroll" tabindex="0" role="region" aria-labelledby=…>); every
// other table is wrapped here. Only a region that does scroll is a tab stop and a named
// region, so a keyboard user can scroll it and a screen reader can find it; one that fits is
// neither, and it is checked again whenever its width changes.

const AUTO = 'ca-scroll--auto';

function label(table) {
  const caption = table.querySelector('caption');
  const text = caption ? caption.textContent.trim().replace(/\s+/g, ' ') : '';
  return text || 'Table';
}

function mark(region) {
  const table = region.querySelector('table');
  // Any overflow, even a pixel's rounding, makes a region scrollable, so it must be reachable.
  if (region.scrollWidth > region.clientWidth) {
    region.setAttribute('tabindex', '0');
    region.setAttribute('role', 'region');
    region.setAttribute('aria-label', `${label(table)} (scrolls sideways)`);
  } else {
    region.removeAttribute('tabindex');
    region.removeAttribute('role');
    region.removeAttribute('aria-label');
  }
}

// The region narrows with the window; the table widens as its content changes: either may
// make it scroll, or stop.
const watcher = typeof ResizeObserver === 'function'
  ? new ResizeObserver((entries) => entries.forEach((entry) => {
    const region = entry.target.closest(`.${AUTO}`);
    if (region) mark(region); // gone if htmx has swapped it out
  }))
  : null;

export function scrollWideTables(root) {
  const tables = [...root.querySelectorAll('table')];
  if (root.matches && root.matches('table')) tables.push(root);
  for (const table of tables) {
    if (table.closest('.ca-scroll')) continue;
    const region = document.createElement('div');
    region.className = `ca-scroll ${AUTO}`;
    table.replaceWith(region);
    region.append(table);
    mark(region);
    if (watcher) {
      watcher.observe(region);
      watcher.observe(table);
    }
  }
}
