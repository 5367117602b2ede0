using System;
using System.Threading;
using IoTSec.Protocol.Console;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// A simulated serial line between a provisioning tool and a device: two <see cref="PipeEnd"/>s
/// joined by a <see cref="LossyLink"/> each way, with a <see cref="ConsoleServerSession"/>
/// polling on a background thread as the device's firmware loop would.
/// </summary>
internal sealed class LossyLine : IDisposable
{
    private readonly Thread _deviceLoop;
    private volatile bool _stop;
    private Exception? _deviceFault;

    public LossyLine(IConsoleCommandHandler handler, LossProfile toDevice, LossProfile toTool, int seed)
    {
        Tool = new PipeEnd();
        Device = new PipeEnd();
        ToDevice = new LossyLink(Device, toDevice, seed);
        ToTool = new LossyLink(Tool, toTool, seed * 31 + 7);
        Tool.Outbound = ToDevice;
        Device.Outbound = ToTool;
        Server = new ConsoleServerSession(Device, handler);
        _deviceLoop = new Thread(RunDevice) { IsBackground = true, Name = "simulated device console" };
        _deviceLoop.Start();
    }

    public PipeEnd Tool { get; }

    public PipeEnd Device { get; }

    public LossyLink ToDevice { get; }

    public LossyLink ToTool { get; }

    /// <summary>The device's session; read its counters only after <see cref="Dispose"/>.</summary>
    public ConsoleServerSession Server { get; }

    public ConsoleClientSession NewClient(ushort initialSequence, int timeoutMs, int retries) =>
        new(Tool, initialSequence) { ResponseTimeoutMs = timeoutMs, RetryCount = retries };

    /// <summary>Stops the device loop; rethrows anything that escaped the server session.</summary>
    public void Dispose()
    {
        _stop = true;
        if (!_deviceLoop.Join(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("the simulated device loop did not stop");
        }

        if (_deviceFault is not null)
        {
            throw new InvalidOperationException("the server session threw", _deviceFault);
        }
    }

    private void RunDevice()
    {
        try
        {
            while (!_stop)
            {
                Server.Poll(10);
            }
        }
        catch (Exception e)
        {
            // Reported by Dispose: a server session must never throw on line faults.
            _deviceFault = e;
        }
    }
}
