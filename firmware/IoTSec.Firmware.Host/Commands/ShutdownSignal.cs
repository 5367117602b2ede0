using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace IoTSec.Firmware.Host.Commands;

/// <summary>Ctrl-C and SIGTERM as one cancellation: the devices stop cleanly (broker session closed) instead of dying mid-write.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _term;

    public ShutdownSignal()
    {
        Console.CancelKeyPress += OnCancel;
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _source.Cancel();
        });
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _term.Dispose();
        _source.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        _source.Cancel();
    }
}
