using System;
using System.IO;

namespace IoTSec.Gateway.Core.Keys;

/// <summary>
/// File handling for secrets kept on disk by the software backend (and the development PKI):
/// directories 0700, files 0600, written atomically, and refused when group or others can
/// read them — a key file another account could read is a key that may already be copied.
/// </summary>
internal static class SoftwareKeyFile
{
    /// <summary>Owner read/write only.</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read/write/search only.</summary>
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="directory"/> as 0700, or checks that an existing one is not open to group or others.</summary>
    /// <exception cref="GatewayKeyStoreException">The directory exists with group or other permissions.</exception>
    public static void EnsurePrivateDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            // Parents get the ordinary mode; only the last component holds secrets.
            var parent = Path.GetDirectoryName(Path.GetFullPath(directory));
            if (!string.IsNullOrEmpty(parent))
            {
                Directory.CreateDirectory(parent);
            }

            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
                return;
            }

            Directory.CreateDirectory(directory, PrivateDirectoryMode);
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(directory);
        if ((mode & GroupOrOthers) != 0)
        {
            throw new GatewayKeyStoreException(
                $"key directory '{directory}' is accessible by group or others (mode {Octal(mode)}); run 'chmod 700 {directory}'");
        }
    }

    /// <summary>
    /// Writes <paramref name="contents"/> to a new 0600 file at <paramref name="path"/>: to a
    /// temporary file first, flushed to disk, then renamed, so a crash never leaves a half
    /// key under the real name. Refuses to replace an existing file unless <paramref name="replace"/>.
    /// </summary>
    public static void WritePrivate(string path, ReadOnlySpan<byte> contents, bool replace = false)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: replace);
        }
        catch (IOException ex) when (!replace && File.Exists(path))
        {
            throw new GatewayKeyStoreException($"'{path}' already exists; refusing to overwrite it", ex);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reads a private file, refusing one that group or others may read or write.</summary>
    /// <exception cref="GatewayKeyStoreException">The file is missing or too open.</exception>
    public static byte[] ReadPrivate(string path)
    {
        if (!File.Exists(path))
        {
            throw new GatewayKeyStoreException($"'{path}' does not exist");
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOthers) != 0)
            {
                throw new GatewayKeyStoreException(
                    $"refusing to use '{path}': it is accessible by group or others (mode {Octal(mode)}); " +
                    $"treat the key as exposed, or run 'chmod 600 {path}' if you are sure it is not");
            }
        }

        return File.ReadAllBytes(path);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
