using System;
using System.Runtime.InteropServices;
using IoTSec.Gateway.Tpm.Interop;

namespace IoTSec.Gateway.Tpm.Esys;

/// <summary>
/// A TPM structure in the C layout of tpm2-tss, made by libtss2-mu from wire-format bytes, in
/// a zeroed native buffer far larger than any tss2 structure (so its size in the headers of
/// whichever tpm2-tss version is installed does not matter). Wiped and freed on dispose.
/// </summary>
internal sealed unsafe class NativeTpmStructure : IDisposable
{
    /// <summary>sizeof(TPM2B_PUBLIC) is about 600 bytes and TPML_DIGEST_VALUES about 1 KB in tpm2-tss 3.x and 4.x.</summary>
    private const int Capacity = 8192;

    private void* _memory;

    private NativeTpmStructure(void* memory)
    {
        _memory = memory;
    }

    public nint Pointer => _memory == null ? throw new ObjectDisposedException(nameof(NativeTpmStructure)) : (nint)_memory;

    /// <summary>Unmarshals <paramref name="wire"/> as the tss2 type <paramref name="typeName"/> (e.g. "TPM2B_PUBLIC").</summary>
    public static NativeTpmStructure FromWire(string typeName, ReadOnlySpan<byte> wire)
    {
        var memory = NativeMemory.AllocZeroed(Capacity);
        var structure = new NativeTpmStructure(memory);
        try
        {
            TssException.ThrowIfFailed("Tss2_MU_" + typeName + "_Unmarshal", Tss2Mu.Unmarshal(typeName, wire, memory, out var consumed));
            if (consumed != (nuint)wire.Length)
            {
                throw new FormatException($"{typeName}: {wire.Length - (int)consumed} bytes left over after unmarshalling");
            }

            return structure;
        }
        catch
        {
            structure.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Marshals the tss2 structure at <paramref name="pointer"/> (allocated by Esys) to wire
    /// bytes and frees it with Esys_Free. With <paramref name="wipe"/> the native copy is
    /// zeroed first: a TPM2B's C form (16-bit size, then the bytes) occupies exactly as
    /// many leading bytes as its wire form.
    /// </summary>
    public static byte[] TakeWire(string typeName, nint pointer, bool wipe = false)
    {
        if (pointer == 0)
        {
            throw new InvalidOperationException($"Esys returned no {typeName}");
        }

        var buffer = new byte[Capacity];
        try
        {
            TssException.ThrowIfFailed("Tss2_MU_" + typeName + "_Marshal", Tss2Mu.Marshal(typeName, (void*)pointer, buffer, out var written));
            if (wipe)
            {
                NativeMemory.Clear((void*)pointer, written);
            }

            return buffer.AsSpan(0, (int)written).ToArray();
        }
        finally
        {
            if (wipe)
            {
                Array.Clear(buffer);
            }

            Tss2Esys.Esys_Free(pointer);
        }
    }

    public void Dispose()
    {
        if (_memory != null)
        {
            NativeMemory.Clear(_memory, Capacity);
            NativeMemory.Free(_memory);
            _memory = null;
        }
    }
}
