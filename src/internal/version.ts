/** The rtc-widgets version, compared when a tag is already registered by another copy. Keep in step with package.json. */
export const VERSION = '0.1.0';
