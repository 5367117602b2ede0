namespace IoTSec.Firmware.Platform
{
    /// <summary>
    /// The device's non-volatile storage as the firmware core sees it: a flat set of named
    /// files (LittleFS on an ESP32's <c>I:\</c>, the SD card on an STM32F769I-DISCO, a directory
    /// on the desktop). Everything the core persists — lifecycle, heartbeat chain, provisioned
    /// identity, A/B slots — goes through this interface.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Power-loss contract, which every user of this interface must survive: a
    /// <see cref="Write"/> may be cut at any byte — a prefix of its bytes reaches the medium,
    /// the rest does not, and the device restarts. A <see cref="Delete"/> happens entirely or
    /// not at all. Nothing else is promised: there is no rename and no transaction, so atomic
    /// updates are built above this (see <see cref="Storage.RecordStore"/>).
    /// </para>
    /// <para>
    /// Names are 1 to 32 characters of <c>a-z 0-9 . _ -</c>. Implementations throw
    /// <see cref="FlashException"/> for a medium error, a full medium or a bad name.
    /// </para>
    /// </remarks>
    public interface IFlashStore
    {
        /// <summary>Length of a file in bytes, or -1 when it does not exist.</summary>
        /// <param name="name">The file name.</param>
        /// <returns>The length, or -1.</returns>
        long GetLength(string name);

        /// <summary>Reads up to <paramref name="count"/> bytes from <paramref name="position"/>.</summary>
        /// <param name="name">The file name.</param>
        /// <param name="position">Byte offset in the file.</param>
        /// <param name="buffer">Receives the bytes.</param>
        /// <param name="offset">Index in <paramref name="buffer"/> of the first byte.</param>
        /// <param name="count">Bytes wanted.</param>
        /// <returns>Bytes read: fewer than asked only at the end of the file; 0 when the file does not exist.</returns>
        int Read(string name, long position, byte[] buffer, int offset, int count);

        /// <summary>
        /// Writes bytes at <paramref name="position"/>, creating the file when it does not exist
        /// and extending it when the write ends past its end. A position past the end is refused.
        /// May be torn by power loss at any byte (see the type's remarks).
        /// </summary>
        /// <param name="name">The file name.</param>
        /// <param name="position">Byte offset in the file, at most its current length.</param>
        /// <param name="buffer">The bytes.</param>
        /// <param name="offset">Index in <paramref name="buffer"/> of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        void Write(string name, long position, byte[] buffer, int offset, int count);

        /// <summary>Shortens a file to <paramref name="length"/> bytes (no-op when already shorter or absent).</summary>
        /// <param name="name">The file name.</param>
        /// <param name="length">The new length.</param>
        void Truncate(string name, long length);

        /// <summary>Deletes a file; atomic; no-op when it does not exist.</summary>
        /// <param name="name">The file name.</param>
        void Delete(string name);

        /// <summary>Free space on the medium in bytes (what a new slot image may use).</summary>
        long FreeBytes { get; }
    }
}
