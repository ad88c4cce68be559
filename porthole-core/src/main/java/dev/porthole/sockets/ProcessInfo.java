package dev.porthole.sockets;

/**
 * Returns what {@code /proc/PID} says about a process that holds a socket.
 *
 * @param name the kernel's short name ({@code comm}, at most 15 characters)
 * @param commandLine the arguments joined by spaces; {@code [name]} for kernel threads
 * @param user the user name, or the numeric uid when the passwd database has none
 */
public record ProcessInfo(int pid, int ppid, String name, String commandLine, int uid, String user) {}
