using System.IO;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Lifecycle;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Lifecycle;

/// <summary>The persisted boot count and the reboot-loop cap.</summary>
[TestClass]
public sealed class BootCounterTests
{
    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("iotsec-boot-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public void BootCount_IsPersisted_AndCountsOncePerBoot()
    {
        for (uint boot = 1; boot <= 4; boot++)
        {
            var counter = Boot(3);
            counter.RecordBoot();
            counter.RecordBoot();
            Assert.AreEqual(boot, counter.BootCount);
            counter.MarkHealthy();
        }
    }

    [TestMethod]
    public void RebootLoop_EntersSafeModeAfterTheCap()
    {
        // Three boots in a row never reach Operating: allowed. The fourth is past the cap.
        for (int boot = 1; boot <= 3; boot++)
        {
            Assert.IsFalse(Boot(3).RecordBoot(), "boot " + boot);
        }

        var fourth = Boot(3);
        Assert.IsTrue(fourth.RecordBoot());
        Assert.IsTrue(fourth.SafeMode);
        Assert.IsTrue(Boot(3).RecordBoot(), "safe mode persists across reboots");
    }

    [TestMethod]
    public void ReachingOperating_EndsTheRun()
    {
        Boot(2).RecordBoot();
        var second = Boot(2);
        second.RecordBoot();
        second.MarkHealthy();
        Assert.IsFalse(Boot(2).RecordBoot());
        Assert.IsFalse(Boot(2).RecordBoot());
        Assert.IsTrue(Boot(2).RecordBoot());
    }

    [TestMethod]
    public void LeavingSafeMode_AllowsExactlyOneMoreAttempt()
    {
        for (int boot = 0; boot < 3; boot++)
        {
            Boot(2).RecordBoot();
        }

        var held = Boot(2);
        Assert.IsTrue(held.RecordBoot());
        held.LeaveSafeMode();
        Assert.IsFalse(held.SafeMode, "the attempt after the hold runs normally");
        Assert.IsTrue(Boot(2).RecordBoot(), "that attempt failed too: straight back to safe mode");
    }

    private BootCounter Boot(int cap) => new(new DirectoryFlashStore(_directory, 1 << 20), cap);
}
