using System;
using System.Collections.Generic;
using System.Device.Gpio;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Iot.Device.Gpio;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Tamper;
using IoTSec.Gateway.Hardware;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>
/// One gateway's tamper stack as the daemon composes it — data directory, sealer (software, or
/// the real TPM), sealed heartbeat secret, audit log, tamper state, response and monitor — over
/// simulated switch and LED lines reached through VirtualGpioController, on a fake clock the
/// test advances. <see cref="RestartAsync"/> is a daemon restart: new state, new monitor, same
/// data directory (and same TPM).
/// </summary>
internal sealed class TamperRig : IAsyncDisposable
{
    public const int SwitchLine = 17;
    public const int LedLine = 27;
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);

    private readonly Func<GatewayDataDirectory, ISecretSealer> _sealerFactory;

    private TamperRig(string directory, Func<GatewayDataDirectory, ISecretSealer> sealerFactory)
    {
        Directory = directory;
        Data = new GatewayDataDirectory(directory);
        _sealerFactory = sealerFactory;
        Sealer = sealerFactory(Data);
        Audit = AuditLog.Open(Data);
        Flag = new TamperFlagFile(Data);
        Link = new TamperDaemonLink(Data);
        Settings = new TamperSettings { TamperPin = SwitchLine, LedPin = LedLine, Debounce = Debounce, PollInterval = TimeSpan.FromSeconds(1) };
    }

    public string Directory { get; }

    public GatewayDataDirectory Data { get; }

    public SimulatedGpioDriver Driver { get; } = new();

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public ISecretSealer Sealer { get; private set; }

    public AuditLog Audit { get; }

    public TamperFlagFile Flag { get; }

    public TamperDaemonLink Link { get; }

    public TamperSettings Settings { get; }

    public RecordingAlertSink Alerts { get; private set; } = new();

    public HeartbeatSecret? Secret { get; private set; }

    public TamperState State { get; private set; } = new(TamperPhase.Starting);

    public TamperResponse? Response { get; private set; }

    public TamperMonitor? Monitor { get; private set; }

    /// <summary>A rig with the lid closed, not started.</summary>
    public static TamperRig Create(Func<GatewayDataDirectory, ISecretSealer> sealer)
    {
        var rig = new TamperRig(TempDirectory.Create("iotsec-tamper"), sealer);
        rig.CloseLid();
        return rig;
    }

    public static TamperRig CreateSoftware() =>
        Create(data => new SoftwareSecretSealer(Path.Combine(data.Root, "keys")));

    /// <summary>Lid shut: the switch closes the line to ground.</summary>
    public void CloseLid() => Driver.Drive(SwitchLine, PinValue.Low);

    /// <summary>Lid open: the switch releases the line and the pull-up takes it high.</summary>
    public void OpenLid() => Driver.Drive(SwitchLine, null);

    /// <summary>Starts a "daemon": latch restored, heartbeat secret opened, monitor started.</summary>
    public async Task StartAsync()
    {
        State = new TamperState(TamperPhase.Starting);
        Alerts = new RecordingAlertSink();
        Secret?.Dispose();
        Secret = null;
        Response = new TamperResponse(State, Flag, Sealer, NullLogger<TamperResponse>.Instance, Time, Alerts, Audit, () => Secret);

        // The composition root's order: the latch first, then the secret (which unseals).
        Response.RestoreAtStart();
        Secret = HeartbeatSecret.Open(Sealer, Time);
        Monitor = new TamperMonitor(
            Options.Create(Settings), Response, Flag, Link,
            new TamperGpio(_ => new VirtualGpioController(new Dictionary<int, GpioPin>
            {
                [SwitchLine] = Board.OpenPin(SwitchLine),
                [LedLine] = Board.OpenPin(LedLine),
            })),
            NullLogger<TamperMonitor>.Instance, Time);
        await Monitor.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (Monitor is not null)
        {
            await Monitor.StopAsync(CancellationToken.None);
            Monitor.Dispose();
            Monitor = null;
        }
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        Sealer = _sealerFactory(Data);
        await StartAsync();
    }

    /// <summary>Lets the debounce interval pass.</summary>
    public void AfterDebounce() => Time.Advance(Debounce + TimeSpan.FromMilliseconds(1));

    /// <summary>True when the heartbeat secret derives keys (it is in memory, or unseals now).</summary>
    public bool SecretAvailable()
    {
        try
        {
            Secret!.DeriveKey("dev-probe", [0x01]);
            return true;
        }
        catch (SecretSealedException)
        {
            return false;
        }
    }

    private GpioController Board => _board ??= new GpioController(Driver);

    private GpioController? _board;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Secret?.Dispose();
        Audit.Dispose();
        _board?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TempDirectory.Delete(Directory);
    }
}
