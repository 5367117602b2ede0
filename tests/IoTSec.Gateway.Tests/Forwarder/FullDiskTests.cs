using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Forwarder;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Gateway.Tests.Forwarder.SpoolFixture;

namespace IoTSec.Gateway.Tests.Forwarder;

/// <summary>
/// The spool on a real, small file system (a tmpfs the test mounts with a size) that fills up:
/// telemetry is refused with a clear error, and alerts raised while it is full are kept, with
/// the spool's own alert first.
/// </summary>
[TestClass]
public sealed class FullDiskTests
{
    [TestMethod]
    public void OnAFullFileSystemTelemetryIsRefusedClearlyAndAlertsAreKept()
    {
        RequiredComponent.Root();
        var mountPoint = TempDirectory.Create("iotsec-fulldisk");
        try
        {
            Mount(mountPoint, "6m");
            var logger = new ListLogger();
            // A budget far above the disk: the file system fills first.
            var settings = Settings(maxBytes: 1L << 30, alertReserve: 50, alertSlotBytes: 1024);
            var path = Path.Combine(mountPoint, "spool.db");
            using (var spool = UpstreamSpool.Open(path, settings, logger))
            {
                Assert.IsTrue(File.Exists(path + ".reserve"), "the alert reserve file is written at open");
                UpstreamSpoolFullException? refused = null;
                var accepted = 0;
                for (var i = 0; i < 100_000 && refused is null; i++)
                {
                    try
                    {
                        // Not JSON objects: nothing to merge, every message takes its room.
                        spool.Enqueue(new UpstreamMessage("dev-" + (i % 20), UpstreamKind.Telemetry, Encoding.UTF8.GetBytes("\"" + Convert.ToHexString(BitConverter.GetBytes(i)) + new string('x', 900) + "\""), DateTimeOffset.UtcNow));
                        accepted++;
                    }
                    catch (UpstreamSpoolFullException e)
                    {
                        refused = e;
                    }
                }

                Assert.IsNotNull(refused, "the 6 MiB file system never filled");
                Assert.AreEqual(SpoolRefusal.DiskFull, refused.Reason);
                StringAssert.Contains(refused.Message, "the file system is full");
                StringAssert.Contains(refused.Message, path);
                StringAssert.Contains(logger.Text, "telemetry and posture for upstream are refused");

                // Still full for telemetry; every alert raised meanwhile is kept.
                Assert.AreEqual(SpoolRefusal.DiskFull, Assert.ThrowsExactly<UpstreamSpoolFullException>(() => spool.Enqueue(Telemetry("dev-1", Sample(1), DateTimeOffset.UtcNow))).Reason);
                for (var i = 0; i < settings.AlertReserve; i++)
                {
                    spool.Enqueue(Alert("dev-" + (i % 20), "alert-" + i, DateTimeOffset.UtcNow));
                }

                var alerts = spool.Peek(1_000_000, int.MaxValue).Where(r => r.Kind == SpoolRecordKind.Alert).ToList();
                Assert.HasCount(settings.AlertReserve + 1, alerts);
                Assert.AreEqual(UpstreamSpool.SpoolFullAlertCode, (string?)JsonNode.Parse(alerts[0].Body)!["code"]);
                StringAssert.Contains((string?)JsonNode.Parse(alerts[0].Body)!["detail"], "disk full");
                Assert.AreEqual("alert-49", (string?)JsonNode.Parse(alerts[^1].Body)!["code"]);
                Console.WriteLine($"accepted {accepted} telemetry messages before the 6 MiB tmpfs was full");
            }

            // Committed: the alerts are there after a restart.
            SqliteConnection.ClearAllPools();
            using (var reopened = UpstreamSpool.Open(path, settings, logger))
            {
                Assert.AreEqual(settings.AlertReserve + 1, reopened.Peek(1_000_000, int.MaxValue).Count(r => r.Kind == SpoolRecordKind.Alert));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Unmount(mountPoint);
            TempDirectory.Delete(mountPoint);
        }
    }

    private static void Mount(string mountPoint, string size)
    {
        var mount = RequiredComponent.Executable("mount", "mount");
        var (code, output) = Run(mount, "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", mountPoint);
        if (code != 0)
        {
            RequiredComponent.Missing($"mount -t tmpfs is not permitted here ({output.Trim()})");
        }
    }

    private static void Unmount(string mountPoint)
    {
        if (File.ReadAllText("/proc/self/mounts").Contains(" " + mountPoint + " ", StringComparison.Ordinal))
        {
            var (code, output) = Run("umount", mountPoint);
            Assert.AreEqual(0, code, "umount " + mountPoint + ": " + output);
        }
    }

    private static (int Code, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
