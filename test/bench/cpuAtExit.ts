// Preloaded (`node -r`) into a benchmarked CLI process: prints the process's CPU seconds (every
// thread: the kernel threads too) on stderr as it exits, for productPath.ts.
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`GLASSBOX_CPU ${(u.user + u.system) / 1e6}\n`);
});
