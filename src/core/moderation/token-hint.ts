/**
 * What a join token says about us, read without verifying it (only the server can): enough to
 * know before joining that we are a viewer, and not to open the camera for nothing.
 */
import { ROLES, type Role } from '../signaling/roles.js';

export function roleInToken(token: string | undefined): Role | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { role?: unknown };
    return (ROLES as readonly unknown[]).includes(json.role) ? (json.role as Role) : undefined;
  } catch {
    return undefined;
  }
}
