/** The longest delay a Node timer can wait: setTimeout turns a longer one into 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;
