// The reply editor: a contenteditable area with a few formatting commands. The server cleans whatever it receives.
export function format(command) {
  document.execCommand(command, false, null);
}

export function read(element) {
  return element ? element.innerHTML : "";
}

export function write(element, html) {
  if (element) {
    element.innerHTML = html ?? "";
  }
}
