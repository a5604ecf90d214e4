/** The roles, on their own: the pre-join step reads them from a token without loading the protocol's schemas. */
export const ROLES = ['host', 'guest', 'viewer'] as const;
/** host: runs the room (admit, remove, mute requests, settings, end); guest: takes part; viewer: receives only. */
export type Role = (typeof ROLES)[number];
