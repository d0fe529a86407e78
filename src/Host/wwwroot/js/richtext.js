// The reply editor (a contenteditable area; its toolbar formats in place): the form reads what was written. The server cleans whatever it receives.
export function read(element) {
  return element ? element.innerHTML : "";
}

export function write(element, html) {
  if (element) {
    element.innerHTML = html ?? "";
  }
}
