using System;
using System.IO;
using System.Runtime.InteropServices;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Tamper;
using IoTSec.Gateway.Hardware.Interop;

namespace IoTSec.Gateway.Hardware;

/// <summary>
/// The persisted tamper flag, <c>tamper.flag</c> in the data directory. PCR 23 resets at every
/// TPM start-up, so this file is what carries "tampered, not re-armed" across a reboot: the
/// monitor extends PCR 23 again at start while it exists. It is written before any other
/// tamper action and made durable (file fsync, rename, directory fsync), so a power cut right
/// after the lid opened cannot lose it.
/// </summary>
public sealed class TamperFlagFile
{
    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "tamper.flag";

    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The flag of <paramref name="dataDirectory"/>.</summary>
    public TamperFlagFile(GatewayDataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        Path = System.IO.Path.Combine(dataDirectory.Root, FileName);
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>True when the flag is set (whatever its content).</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>The flag, or null when none is set.</summary>
    /// <exception cref="TamperFlagException">The file exists but is not a flag this gateway wrote.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public TamperFlag? Read()
    {
        byte[] content;
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > TamperFlagFormat.MaxLength)
            {
                throw new TamperFlagException($"{Path} is {stream.Length} bytes, more than {TamperFlagFormat.MaxLength}");
            }

            content = new byte[stream.Length];
            stream.ReadExactly(content);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return TamperFlagFormat.Decode(content);
    }

    /// <summary>
    /// The flag, failing closed: a file that exists but does not parse or cannot be read counts
    /// as a tamper event (someone may have edited it), with a reason that says so.
    /// </summary>
    public TamperFlag? ReadFailClosed(DateTimeOffset now)
    {
        try
        {
            return Read();
        }
        catch (TamperFlagException e)
        {
            return new TamperFlag(now, "tamper flag damaged: " + e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new TamperFlag(now, "tamper flag unreadable: " + e.Message);
        }
    }

    /// <summary>Sets the flag durably (an existing flag is kept: the first event is the one that counts).</summary>
    public void Write(TamperFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        if (Exists)
        {
            return;
        }

        var temporary = Path + ".tmp-" + Guid.NewGuid().ToString("N");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(TamperFlagFormat.Encode(flag));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: false);
        }
        catch (IOException) when (Exists)
        {
            // Set by someone else meanwhile: tampered either way.
        }
        finally
        {
            File.Delete(temporary);
        }

        SyncDirectory();
    }

    /// <summary>Clears the flag durably (an operator's re-arm).</summary>
    public void Clear()
    {
        File.Delete(Path);
        SyncDirectory();
    }

    // The rename (or unlink) is an update of the directory: without this fsync, a power cut
    // within the file system's commit interval may bring back the old directory entry.
    private void SyncDirectory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var directory = System.IO.Path.GetDirectoryName(Path)!;
        var descriptor = LibC.Open(directory, LibC.ReadOnly | LibC.Directory | LibC.CloseOnExec);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open {directory} to make the tamper flag durable (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (LibC.Fsync(descriptor) != 0)
            {
                throw new IOException($"fsync of {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = LibC.Close(descriptor);
        }
    }
}
