// Table of contents from the sections when the page has none written out (index.html writes it, so that the
// page does not shift when this script runs); no maths here.
const toc = document.getElementById('toc');
for (const s of toc.children.length ? [] : document.querySelectorAll('main > section')) {
  const a = document.createElement('a');
  a.href = `#${s.id}`;
  a.textContent = s.id;
  if (toc.children.length) toc.append(' ');  // whitespace between the links, so the line can wrap on a phone
  toc.append(a);
}
