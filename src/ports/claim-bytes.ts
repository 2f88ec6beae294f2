/**
 * A claim stops adding deliveries once their bodies reach this many bytes (it always takes at
 * least one), so WHARF_BATCH_SIZE can be large for small status deliveries without a batch of
 * multi-megabyte history deliveries holding gigabytes in memory.
 */
export const CLAIM_BYTES = 32 * 1024 * 1024;
