/**
 * A flag that turns itself off after a while: "the agent is typing" for an agent who went quiet
 * without saying so, "the assistant is answering" for an answer that never came.
 */
export class ExpiringFlag {
  private value = false;
  private timer?: ReturnType<typeof setTimeout>;

  /** onExpire: called when the flag turns itself off (to redraw), not when it is set off. */
  constructor(
    private readonly ms: number,
    private readonly onExpire: () => void,
  ) {}

  get on(): boolean {
    return this.value;
  }

  /** On (for `ms` from now) or off. */
  set(on: boolean): void {
    this.value = on;
    clearTimeout(this.timer);
    if (on) {
      this.timer = setTimeout(() => {
        this.value = false;
        this.onExpire();
      }, this.ms);
    }
  }
}
