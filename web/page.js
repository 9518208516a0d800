// Table of contents from the sections; no maths here.
const toc = document.getElementById('toc');
for (const s of document.querySelectorAll('main > section')) {
  const a = document.createElement('a');
  a.href = `#${s.id}`;
  a.textContent = s.id;
  if (toc.children.length) toc.append(' ');  // whitespace between the links, so the line can wrap on a phone
  toc.append(a);
}
