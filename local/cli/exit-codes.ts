// Exit statuses shared by every command (listed in the help of `icat-hub`): 0 done, 1 failed at run
// time, a command's own codes from 2, and this one for wrong usage.
/** Unknown command or option, missing or extra argument (sysexits.h EX_USAGE). */
export const EX_USAGE = 64;
