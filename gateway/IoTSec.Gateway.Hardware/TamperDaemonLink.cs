using System;
using System.Globalization;
using System.IO;
using System.Collections.Generic;
using System.Text.Json;
using IoTSec.Gateway.Core;

namespace IoTSec.Gateway.Hardware;

/// <summary>
/// How the running daemon and <c>iotsec-gateway tamper</c> meet in the data directory. The
/// daemon holds an exclusive lock on <c>tamper.lock</c> while it owns the GPIO lines (a second
/// process cannot request them) and publishes each debounced reading in
/// <c>tamper-switch.json</c>; the command takes the lock itself when no daemon runs, and then
/// reads the switch directly. A re-arm made by the command reaches the daemon through the
/// persisted flag, which the daemon polls.
/// </summary>
public sealed class TamperDaemonLink
{
    /// <summary>The lock file's name.</summary>
    public const string LockFileName = "tamper.lock";

    /// <summary>The published reading's file name.</summary>
    public const string ReadingFileName = "tamper-switch.json";

    private const int MaxReadingLength = 1024;

    /// <summary>The link in <paramref name="dataDirectory"/>.</summary>
    public TamperDaemonLink(GatewayDataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        LockPath = Path.Combine(dataDirectory.Root, LockFileName);
        ReadingPath = Path.Combine(dataDirectory.Root, ReadingFileName);
    }

    /// <summary>The lock file.</summary>
    public string LockPath { get; }

    /// <summary>The published reading.</summary>
    public string ReadingPath { get; }

    /// <summary>Takes the lock, or returns null when another process (the daemon) holds it.</summary>
    public IDisposable? TryLock()
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            // .NET takes an advisory flock(LOCK_EX | LOCK_NB) for FileShare.None on Unix.
            return new FileStream(LockPath, options);
        }
        catch (IOException) when (File.Exists(LockPath))
        {
            return null;
        }
    }

    /// <summary>Publishes a reading (atomically replaced; runtime information, not evidence: no fsync).</summary>
    public void Publish(TamperSwitchReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            lidClosed = reading.LidClosed,
            phase = reading.Phase,
            readAt = reading.ReadAt.ToString("O", CultureInfo.InvariantCulture),
        });
        var temporary = ReadingPath + ".tmp";
        File.WriteAllBytes(temporary, json);
        File.Move(temporary, ReadingPath, overwrite: true);
    }

    /// <summary>The daemon's last reading, or null when there is none or it does not parse (then the lid is not known to be closed).</summary>
    public TamperSwitchReading? ReadPublished()
    {
        try
        {
            var info = new FileInfo(ReadingPath);
            if (!info.Exists || info.Length > MaxReadingLength)
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(ReadingPath));
            var root = document.RootElement;
            return new TamperSwitchReading(
                root.GetProperty("lidClosed").ValueKind == JsonValueKind.Null ? null : root.GetProperty("lidClosed").GetBoolean(),
                root.GetProperty("phase").GetString() ?? "unknown",
                DateTimeOffset.ParseExact(root.GetProperty("readAt").GetString() ?? string.Empty, "O", CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes the published reading (the daemon stops).</summary>
    public void Withdraw() => File.Delete(ReadingPath);
}
