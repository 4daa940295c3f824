/**
 * Keeps a drag's pointer on the element that began it. A pointer the browser does not know
 * (an event a script or an assistive tool dispatched) cannot be captured: the drag then
 * follows the events that reach the element, and nothing throws.
 */
export function capture(el: Element, pointerId: number): void {
  try {
    el.setPointerCapture(pointerId);
  } catch {
    // NotFoundError: no active pointer with this id.
  }
}
