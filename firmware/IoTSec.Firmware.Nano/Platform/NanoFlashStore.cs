using System.IO;
using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// <see cref="IFlashStore"/> over nanoFramework's System.IO.FileSystem: one file per name in
    /// the root of the board's drive (LittleFS <c>I:\</c> on the ESP32, the FAT SD card <c>D:\</c>
    /// on the STM32F769I-DISCO).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Every write opens, seeks, writes, flushes and closes its file, so that what the core
    /// considers written has reached the medium before the call returns (LittleFS commits a file
    /// only when it is synced or closed). On LittleFS a cut write leaves the file as it was
    /// before the call: a torn prefix of zero bytes, inside the contract. On FAT a cut may
    /// damage more than the contract allows (see the STM32 board profile).
    /// </para>
    /// <para>
    /// Free space is the board's budget less the files already on the drive: nanoFramework's
    /// DriveInfo reports only the total size of a volume, not what is free.
    /// </para>
    /// </remarks>
    public sealed class NanoFlashStore : IFlashStore
    {
        private readonly string _root;
        private readonly long _budgetBytes;

        /// <summary>Creates the store.</summary>
        /// <param name="root">The drive, for example <c>I:\</c>.</param>
        /// <param name="budgetBytes">How many bytes of the drive the firmware may use.</param>
        public NanoFlashStore(string root, long budgetBytes)
        {
            _root = root;
            _budgetBytes = budgetBytes;
        }

        /// <inheritdoc />
        public long FreeBytes
        {
            get
            {
                long used = 0;
                string[] files;
                try
                {
                    files = Directory.GetFiles(_root);
                }
                catch (IOException e)
                {
                    throw new FlashException("Cannot list " + _root + ".", e);
                }

                for (int i = 0; i < files.Length; i++)
                {
                    used += new FileInfo(files[i]).Length;
                }

                return used >= _budgetBytes ? 0 : _budgetBytes - used;
            }
        }

        /// <inheritdoc />
        public long GetLength(string name)
        {
            string path = PathOf(name);
            return File.Exists(path) ? new FileInfo(path).Length : -1;
        }

        /// <inheritdoc />
        public int Read(string name, long position, byte[] buffer, int offset, int count)
        {
            string path = PathOf(name);
            if (!File.Exists(path))
            {
                return 0;
            }

            try
            {
                using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read))
                {
                    if (position >= file.Length)
                    {
                        return 0;
                    }

                    file.Seek(position, SeekOrigin.Begin);
                    int total = 0;
                    while (total < count)
                    {
                        int read = file.Read(buffer, offset + total, count - total);
                        if (read <= 0)
                        {
                            break;
                        }

                        total += read;
                    }

                    return total;
                }
            }
            catch (IOException e)
            {
                throw new FlashException("Reading '" + name + "' at " + position + " failed.", e);
            }
        }

        /// <inheritdoc />
        public void Write(string name, long position, byte[] buffer, int offset, int count)
        {
            string path = PathOf(name);
            long length = File.Exists(path) ? new FileInfo(path).Length : 0;
            if (position > length)
            {
                throw new FlashException("Write to '" + name + "' at " + position + " is past its end (" + length + ").");
            }

            long growth = position + count - length;
            if (growth > 0 && growth > FreeBytes)
            {
                throw new FlashException("Storage full: '" + name + "' needs " + growth + " more bytes.");
            }

            try
            {
                using (FileStream file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite))
                {
                    file.Seek(position, SeekOrigin.Begin);
                    file.Write(buffer, offset, count);
                    file.Flush();
                }
            }
            catch (IOException e)
            {
                throw new FlashException("Writing " + count + " bytes to '" + name + "' at " + position + " failed.", e);
            }
        }

        /// <inheritdoc />
        public void Truncate(string name, long length)
        {
            string path = PathOf(name);
            if (!File.Exists(path) || new FileInfo(path).Length <= length)
            {
                return;
            }

            try
            {
                using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
                {
                    file.SetLength(length);
                    file.Flush();
                }
            }
            catch (IOException e)
            {
                throw new FlashException("Truncating '" + name + "' to " + length + " failed.", e);
            }
        }

        /// <inheritdoc />
        public void Delete(string name)
        {
            string path = PathOf(name);
            try
            {
                // A no-op for a missing file (System.IO.FileSystem File.Delete).
                File.Delete(path);
            }
            catch (IOException e)
            {
                throw new FlashException("Deleting '" + name + "' failed.", e);
            }
        }

        private string PathOf(string name)
        {
            if (!FlashNames.IsValid(name))
            {
                throw new FlashException("Bad flash file name '" + name + "': 1 to 32 characters of a-z 0-9 . _ -.");
            }

            return _root + name;
        }
    }
}
