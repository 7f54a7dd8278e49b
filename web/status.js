// One polite live region for what the page did (read out by screen readers).

export function say(text, isError = false) {
  const el = document.getElementById('status');
  if (!el) return;
  el.textContent = text;
  el.classList.toggle('error', isError);
}
