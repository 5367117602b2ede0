using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace IoTSec.Testing;

/// <summary>
/// Cleans up after test processes that died without disposing their <see cref="SoftwareTpm"/>
/// (a crashed or killed test host leaves swtpm, dbus-daemon and tpm2-abrmd running). Each
/// instance directory records its owner (pid and start time) and the pids it started; a
/// directory whose owner is gone has those pids ended — each only after checking, through
/// /proc, that it is still a process of that instance — and is removed.
/// </summary>
internal static class SoftwareTpmJanitor
{
    public const string OwnerFile = "owner";
    public const string ChildrenFile = "children";

    /// <summary>The variable every child process of an instance carries, naming its directory.</summary>
    public const string InstanceVariable = "IOTSEC_SWTPM_INSTANCE";

    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "iotsec-swtpm");

    public static string CurrentOwner()
    {
        var pid = Environment.ProcessId;
        return pid.ToString(CultureInfo.InvariantCulture) + " " + StartTime(pid);
    }

    public static void RecordChild(string directory, Process process) =>
        File.AppendAllText(Path.Combine(directory, ChildrenFile), process.Id.ToString(CultureInfo.InvariantCulture) + "\n");

    public static void SweepAbandoned()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var directory in Directory.GetDirectories(Root))
        {
            try
            {
                if (OwnerAlive(directory))
                {
                    continue;
                }

                var children = Path.Combine(directory, ChildrenFile);
                if (File.Exists(children))
                {
                    foreach (var line in File.ReadAllLines(children))
                    {
                        if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && BelongsTo(pid, directory))
                        {
                            using var process = Process.GetProcessById(pid);
                            process.Kill();
                            process.WaitForExit(5000);
                        }
                    }
                }

                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Another test process is sweeping the same directory; it will finish the job.
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's instance: not ours to end.
            }
            catch (ArgumentException)
            {
                // The process exited between the check and the kill.
            }
            catch (InvalidOperationException)
            {
                // Same: exited meanwhile.
            }
        }
    }

    private static bool OwnerAlive(string directory)
    {
        var ownerFile = Path.Combine(directory, OwnerFile);
        if (!File.Exists(ownerFile))
        {
            // Being created right now, or a foreign directory: leave it unless it is old.
            return Directory.GetCreationTimeUtc(directory) > DateTime.UtcNow.AddMinutes(-10);
        }

        var parts = File.ReadAllText(ownerFile).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
            string.Equals(StartTime(pid), parts[1], StringComparison.Ordinal);
    }

    // A pid is one of the instance's children only if its environment names the instance
    // directory: a recycled pid of an unrelated process is never touched.
    private static bool BelongsTo(int pid, string directory)
    {
        try
        {
            var environment = File.ReadAllBytes($"/proc/{pid}/environ");
            var marker = Encoding.UTF8.GetBytes(InstanceVariable + "=" + directory + "\0");
            return environment.AsSpan().IndexOf(marker) >= 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Field 22 of /proc/<pid>/stat: start time in clock ticks since boot (tells a recycled pid apart).
    private static string StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return afterName.Length > 19 ? afterName[19] : "?";
        }
        catch (IOException)
        {
            return "gone";
        }
    }
}
