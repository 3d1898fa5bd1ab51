/** The studio's version, written into every export (a test keeps it equal to package.json's). */
export const TOOL_NAME = 'nas-studio';
export const TOOL_VERSION = '0.1.0';
