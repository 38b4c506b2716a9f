// Record ids: a pure check with no web or database dependency, so the audit log and the routes share it.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Record ids in addresses and forms are UUIDs; anything else is treated as not found. */
export const isUuid = (value: string): boolean => UUID.test(value);
