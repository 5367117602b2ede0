using System;
using System.IO;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// Disk space held for alerts: a file of zeros beside the spool, written while there is room
/// and deleted when the file system fills up, so that the alerts raised while the disk is full
/// (and the spool's own "upstream-spool-full" alert) still have somewhere to go. SQLite needs
/// room for its write-ahead log as well as the rows, hence a margin above the slots' bytes.
/// </summary>
internal sealed class SpoolReserveFile
{
    private readonly string _path;
    private readonly long _size;

    public SpoolReserveFile(string path, long size)
    {
        _path = path;
        _size = size;
    }

    public string Path => _path;

    public bool Present => File.Exists(_path) && new FileInfo(_path).Length >= _size;

    /// <summary>Writes the file (flushed to disk) when absent; false when the disk has no room for it now.</summary>
    public bool TryEnsure()
    {
        if (Present)
        {
            return true;
        }

        try
        {
            using (var file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                // Written, not just sized: a sparse file (SetLength) would hold no blocks on tmpfs or ext4.
                var zeros = new byte[64 * 1024];
                for (long written = 0; written < _size; written += zeros.Length)
                {
                    file.Write(zeros, 0, (int)Math.Min(zeros.Length, _size - written));
                }

                file.Flush(flushToDisk: true);
            }

            return true;
        }
        catch (IOException)
        {
            Release();
            return false;
        }
    }

    /// <summary>Deletes it, giving its space back; true when there was one.</summary>
    public bool Release()
    {
        if (!File.Exists(_path))
        {
            return false;
        }

        File.Delete(_path);
        return true;
    }
}
