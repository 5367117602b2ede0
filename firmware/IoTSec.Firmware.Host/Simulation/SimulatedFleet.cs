using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using IoTSec.Firmware.Device;

namespace IoTSec.Firmware.Host.Simulation;

/// <summary>
/// Many simulated devices in one process, one thread each. The firmware core is blocking code
/// written for a device's own thread (EST round trips, QoS 1 publishes waiting for their
/// acknowledgement, backoff sleeps), so a thread per device runs exactly the code a board runs;
/// a shared scheduler would need a non-blocking core that nanoFramework cannot run. A thread
/// costs its stack's reserve (virtual memory) and almost nothing while it waits.
/// </summary>
public sealed class SimulatedFleet : IDisposable
{
    private readonly List<Thread> _threads = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Creates the fleet over <paramref name="devices"/>.</summary>
    public SimulatedFleet(IReadOnlyList<SimulatedDevice> devices)
    {
        Devices = devices ?? throw new ArgumentNullException(nameof(devices));
    }

    /// <summary>The devices.</summary>
    public IReadOnlyList<SimulatedDevice> Devices { get; }

    /// <summary>The flash directory of device <paramref name="index"/> under <paramref name="flashRoot"/>: "device-000", "device-001", …</summary>
    public static string FlashDirectoryOf(string flashRoot, int index) =>
        Path.Combine(flashRoot, string.Create(CultureInfo.InvariantCulture, $"device-{index:D3}"));

    /// <summary>Starts every device on its own thread, staggered by <paramref name="stagger"/> (a fleet powering up does not do so in the same millisecond).</summary>
    public void Start(TimeSpan stagger)
    {
        foreach (var device in Devices)
        {
            var thread = new Thread(() => device.Run(_stop.Token))
            {
                IsBackground = true,
                Name = "device " + Path.GetFileName(device.FlashDirectory),
            };
            _threads.Add(thread);
            thread.Start();
            if (stagger > TimeSpan.Zero && _stop.Token.WaitHandle.WaitOne(stagger))
            {
                return;
            }
        }
    }

    /// <summary>How many devices are in each lifecycle state right now.</summary>
    public IReadOnlyDictionary<string, int> Census() =>
        Devices.GroupBy(d => d.Current?.Phase == DeviceRunPhase.Running ? d.Current.Lifecycle.ToString() : (d.Current?.Phase ?? DeviceRunPhase.Booting).ToString())
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Stops every device and waits for its thread (up to <paramref name="timeout"/> each).</summary>
    public void Stop(TimeSpan timeout)
    {
        _stop.Cancel();
        foreach (var thread in _threads)
        {
            thread.Join(timeout);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
