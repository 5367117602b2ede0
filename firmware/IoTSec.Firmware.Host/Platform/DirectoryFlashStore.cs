using System;
using System.IO;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Host.Platform;

/// <summary>
/// A simulated device's flash: one file per name in a directory of its own, with a capacity
/// and injectable power cuts (<see cref="PowerCut"/>). A cut writes a prefix of the bytes,
/// flushes them to disk, and throws <see cref="DeviceRebootException"/>; the runner then
/// boots the device again from the same directory, as a real device would after power loss.
/// </summary>
public sealed class DirectoryFlashStore : IFlashStore
{
    private readonly string _directory;
    private readonly long _capacity;

    /// <summary>Opens (creating if needed) the flash in <paramref name="directory"/>.</summary>
    /// <param name="directory">The device's own directory.</param>
    /// <param name="capacityBytes">The medium's size: writes that would pass it fail as on a full LittleFS.</param>
    /// <param name="powerCut">Where cuts are armed; null for none.</param>
    public DirectoryFlashStore(string directory, long capacityBytes, PowerCut? powerCut = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _directory = Directory.CreateDirectory(directory).FullName;
        _capacity = capacityBytes;
        PowerCut = powerCut ?? new PowerCut();
    }

    /// <summary>The power-cut control of this flash.</summary>
    public PowerCut PowerCut { get; }

    /// <inheritdoc />
    public long FreeBytes => Math.Max(0, _capacity - UsedBytes());

    /// <inheritdoc />
    public long GetLength(string name)
    {
        var path = PathOf(name);
        return File.Exists(path) ? new FileInfo(path).Length : -1;
    }

    /// <inheritdoc />
    public int Read(string name, long position, byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Position = position;
        int total = 0;
        while (total < count)
        {
            int read = file.Read(buffer, offset + total, count - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <inheritdoc />
    public void Write(string name, long position, byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var path = PathOf(name);
        long length = File.Exists(path) ? new FileInfo(path).Length : 0;
        if (position > length)
        {
            throw new FlashException($"Write to '{name}' at {position} is past its end ({length}).");
        }

        long growth = Math.Max(0, position + count - length);
        if (growth > FreeBytes)
        {
            throw new FlashException($"Flash full: '{name}' needs {growth} more bytes, {FreeBytes} free.");
        }

        int allowed = PowerCut.BytesAllowed(count);
        using (var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read))
        {
            file.Position = position;
            file.Write(buffer, offset, allowed < 0 ? count : allowed);
            file.Flush(flushToDisk: true);
        }

        if (allowed >= 0)
        {
            throw new DeviceRebootException($"power cut during write {PowerCut.WritesSeen - 1} to '{name}' after {allowed} of {count} bytes");
        }
    }

    /// <inheritdoc />
    public void Truncate(string name, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var path = PathOf(name);
        if (File.Exists(path) && new FileInfo(path).Length > length)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
            file.SetLength(length);
            file.Flush(flushToDisk: true);
        }
    }

    /// <inheritdoc />
    public void Delete(string name) => File.Delete(PathOf(name));

    private long UsedBytes()
    {
        long used = 0;
        foreach (var file in new DirectoryInfo(_directory).EnumerateFiles())
        {
            used += file.Length;
        }

        return used;
    }

    private string PathOf(string name)
    {
        if (!FlashNames.IsValid(name))
        {
            throw new FlashException($"Bad flash file name '{name}': 1 to 32 characters of a-z 0-9 . _ -.");
        }

        return Path.Combine(_directory, name);
    }
}
