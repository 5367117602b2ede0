using System;
using System.Device.Gpio;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Tamper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hardware;

/// <summary>
/// Watches the tamper switch: reads it at start (a gateway that boots with the lid open is
/// tampered), then on every edge after <see cref="TamperSettings.Debounce"/> and at every
/// <see cref="TamperSettings.PollInterval"/> (a missed edge). An open lid trips the
/// <see cref="TamperResponse"/> once per episode. The same poll notices a re-arm made by
/// <c>iotsec-gateway tamper rearm</c> (the persisted flag is gone) and resumes — or, if the lid
/// is open again by then, trips anew. Drives the status LED and publishes each reading for the
/// command (<see cref="TamperDaemonLink"/>).
/// </summary>
public sealed partial class TamperMonitor : BackgroundService
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);

    private readonly TamperSettings _settings;
    private readonly TamperResponse _response;
    private readonly TamperState _state;
    private readonly TamperFlagFile _flag;
    private readonly TamperDaemonLink _link;
    private readonly TamperGpio _gpio;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private IDisposable? _lock;
    private GpioController? _controller;
    private TamperSwitch? _switch;
    private StatusLed? _led;
    private ITimer? _debounceTimer;
    private int _debouncing;
    private TamperSwitchReading? _published;

    /// <summary>Creates the monitor.</summary>
    public TamperMonitor(
        IOptions<TamperSettings> settings,
        TamperResponse response,
        TamperFlagFile flag,
        TamperDaemonLink link,
        TamperGpio gpio,
        ILogger<TamperMonitor> logger,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(flag);
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(gpio);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        _settings = settings.Value;
        _response = response;
        _state = response.State;
        _flag = flag;
        _link = link;
        _gpio = gpio;
        _logger = logger;
        _time = time;
    }

    /// <summary>Takes the GPIO lines and reads the switch once before the host reports started.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _lock = await TakeLockAsync(cancellationToken).ConfigureAwait(false);
        _response.RestoreAtStart();
        if (!_settings.Enabled)
        {
            LogDisabled(_logger);
            if (_state.Phase == TamperPhase.Starting)
            {
                _state.MarkArmed();
            }

            Publish(null);
        }
        else
        {
            _controller = _gpio.Open(_settings);
            if (_settings.LedPin >= 0)
            {
                _led = new StatusLed(_controller, _settings.LedPin, _time);
                _led.Show(_state.Phase);
                _state.Changed += _led.Show;
            }

            _debounceTimer = _time.CreateTimer(_ => Debounced(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _switch = new TamperSwitch(_controller, _settings.TamperPin, _settings.ActiveLow);
            if (!_switch.HasBias)
            {
                LogNoBias(_logger, _settings.TamperPin);
            }

            _switch.Edge += OnEdge;
            Evaluate("the enclosure was open when the gateway started");
            LogWatching(_logger, _settings.GpioChip, _settings.TamperPin, _settings.ActiveLow ? "low" : "high", _settings.Debounce.TotalMilliseconds, _state.Phase.ToString());
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the lines, turns the LED off and the lock.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Release();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        Release();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_settings.PollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Poll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One poll: the switch (a missed edge) and the persisted flag (a re-arm from the command).</summary>
    internal void Poll()
    {
        lock (_gate)
        {
            if (_settings.Enabled)
            {
                if (_switch is null)
                {
                    return; // released (stopping)
                }

                Evaluate("the enclosure was found open by the periodic check");
            }
            else
            {
                Publish(null);
            }

            if (_state.Phase == TamperPhase.Tampered && !_flag.Exists)
            {
                // Re-armed by the command. It checked the lid; check again, the lid is ours.
                var closed = !_settings.Enabled || (_switch?.ReadLidClosed() ?? false);
                _response.AcceptRearm();
                if (!closed)
                {
                    _response.Trip("the gateway was re-armed while the enclosure was open");
                }

                Publish(_settings.Enabled ? closed : null);
            }
        }
    }

    // Bounce handling: the first edge of a burst starts one timer; later edges of the burst are
    // ignored; when it fires the line is read once. A burst that ends open always leaves an
    // edge after that read, which starts the next evaluation — so nothing is lost and no
    // amount of toggling delays the response by more than one debounce interval.
    private void OnEdge()
    {
        if (Interlocked.Exchange(ref _debouncing, 1) == 0)
        {
            try
            {
                _debounceTimer?.Change(_settings.Debounce, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // An edge that raced the monitor's stop.
            }
        }
    }

    private void Debounced()
    {
        Volatile.Write(ref _debouncing, 0);
        Evaluate("the enclosure was opened");
    }

    private void Evaluate(string reasonIfOpen)
    {
        lock (_gate)
        {
            if (_switch is null)
            {
                return; // released (stopping)
            }

            bool closed;
            try
            {
                closed = _switch.ReadLidClosed();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // A line that cannot be read cannot vouch for the lid: fail closed.
                closed = false;
                reasonIfOpen = "the tamper switch could not be read: " + e.Message;
            }

            if (!closed)
            {
                _response.Trip(reasonIfOpen);
            }
            else if (_state.Phase == TamperPhase.Starting)
            {
                _state.MarkArmed();
            }

            Publish(closed);
        }
    }

    private void Publish(bool? closed)
    {
        var phase = _state.Phase.ToString().ToLowerInvariant();
        if (_published is { } last && last.LidClosed == closed && last.Phase == phase)
        {
            return;
        }

        var reading = new TamperSwitchReading(closed, phase, _time.GetUtcNow());
        try
        {
            _link.Publish(reading);
            _published = reading;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogPublishFailed(_logger, _link.ReadingPath, e.Message);
        }
    }

    private async Task<IDisposable> TakeLockAsync(CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            if (_link.TryLock() is { } taken)
            {
                return taken;
            }

            if (waited >= LockWait)
            {
                throw new IOException($"another process holds {_link.LockPath}: a second gateway daemon on this data directory, or `iotsec-gateway tamper` still running");
            }

            await Task.Delay(step, cancellationToken).ConfigureAwait(false);
            waited += step;
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            // Edges first, then the timer they arm.
            if (_switch is not null)
            {
                _switch.Edge -= OnEdge;
                _switch.Dispose();
                _switch = null;
            }

            _debounceTimer?.Dispose();
            _debounceTimer = null;

            if (_led is not null)
            {
                _state.Changed -= _led.Show;
                _led.Dispose();
                _led = null;
            }

            _controller?.Dispose();
            _controller = null;
            if (_lock is not null)
            {
                try
                {
                    _link.Withdraw();
                }
                catch (IOException)
                {
                    // A stale reading is harmless: the command trusts it only while the lock is held.
                }

                _lock.Dispose();
                _lock = null;
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "watching the tamper switch on gpiochip{Chip} line {Pin} (closed reads {Level}, debounce {DebounceMs} ms): {Phase}")]
    private static partial void LogWatching(ILogger logger, int chip, int pin, string level, double debounceMs, string phase);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "the tamper switch is disabled (IoTSec:Tamper:Enabled=false): an opened enclosure goes unnoticed")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "the GPIO driver offers no internal bias on line {Pin}: fit an external pull resistor (hardware/gateway-pins.md), or a cut wire may float")]
    private static partial void LogNoBias(ILogger logger, int pin);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "could not publish the tamper switch reading to {Path}: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string path, string error);
}
