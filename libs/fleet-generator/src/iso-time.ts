const MINUTE_MS = 60_000;

/**
 * `Date#toISOString` for increasing timestamps, several times faster: the `YYYY-MM-DDTHH:MM:` prefix is
 * formatted once per minute and only seconds and milliseconds are appended. Timestamps must lie in
 * years 1970–9999 (four-digit years), which {@link resolveFleetOptions} ensures for generated streams.
 */
export class IsoTime {
  private minute = Number.NaN;
  private prefix = '';

  /** ISO-8601 UTC text of `ms`, e.g. `2025-01-01T00:00:07.042Z`. */
  format(ms: number): string {
    const rest = ms % MINUTE_MS;
    const minute = ms - rest;
    if (minute !== this.minute) {
      this.minute = minute;
      this.prefix = new Date(minute).toISOString().slice(0, 17);
    }
    const seconds = Math.floor(rest / 1000);
    const millis = rest % 1000;
    return `${this.prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  }
}
