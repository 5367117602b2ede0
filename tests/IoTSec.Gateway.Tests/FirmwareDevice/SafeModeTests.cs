using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Firmware.Device;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Host.Simulation;
using IoTSec.Firmware.Lifecycle;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.FirmwareDevice;

/// <summary>The runtime's reboot-loop cap on the simulated device (no gateway needed: safe mode starts no network).</summary>
[TestClass]
public sealed class SafeModeTests
{
    [TestMethod]
    public async Task AfterTooManyBootsWithoutBecomingHealthyTheDeviceHoldsInSafeModeThenGetsOneMoreAttempt()
    {
        var flash = TempDirectory.Create("iotsec-fw-safemode");
        try
        {
            // Six boots in a row that never became healthy (crashes, lost power): more than the cap of 5.
            var store = new DirectoryFlashStore(flash, SimulatedDevice.DefaultFlashBytes);
            for (var i = 0; i < BootCounter.DefaultMaxBootsWithoutHealthy; i++)
            {
                new BootCounter(store, BootCounter.DefaultMaxBootsWithoutHealthy).RecordBoot();
            }

            var log = new ListLog();
            var device = new SimulatedDevice(flash, log) { Settings = new DeviceRuntimeSettings { SafeModeHoldMs = 500 } };
            using var cancel = new CancellationTokenSource();
            var running = Task.Factory.StartNew(() => device.Run(cancel.Token), TaskCreationOptions.LongRunning);
            await WaitUntil(() => device.Current?.Phase == DeviceRunPhase.SafeMode, log);
            Assert.AreEqual(1, device.Boots);

            // After the hold: one more attempt in the same boot (here: an unprovisioned board waits for its console).
            await WaitUntil(() => device.Current?.Phase == DeviceRunPhase.WaitingForProvisioning, log);
            Assert.AreEqual(1, device.Boots);
            Assert.Contains("safe mode hold over; one more attempt", log.Text);

            // That attempt never became healthy: the next boot is in safe mode again.
            device.Reboot("test: power cycle");
            await WaitUntil(() => device.Boots == 2 && device.Current?.Phase == DeviceRunPhase.SafeMode, log);
            cancel.Cancel();
            await running.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.AreEqual(DeviceRunPhase.Stopped, device.Current?.Phase ?? DeviceRunPhase.Stopped);
        }
        finally
        {
            TempDirectory.Delete(flash);
        }
    }

    private static async Task WaitUntil(Func<bool> condition, ListLog log)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("condition not reached; device log:\n" + log.Text);
            }

            await Task.Delay(20);
        }
    }

    private sealed class ListLog : IoTSec.Firmware.Platform.IDeviceLog
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public string Text => string.Join("\n", _lines);

        public void Write(string message) => _lines.Enqueue(message);
    }
}
