namespace GenSafety.Gateway.Provenance;

/// <summary>Provenance log messages (event ids 5100–5199). Kids and scheme names only: never keys, never texts.</summary>
internal static partial class ProvenanceLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Provenance ledger write of {Count} records failed ({ExceptionType}); their responses were delivered without a ledger record")]
    public static partial void LedgerWriteFailed(ILogger logger, int count, string exceptionType);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Provenance ledger read failed during verification ({ExceptionType})")]
    public static partial void LedgerReadFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Provenance ledger writer stopped with {Count} records unwritten (drain timeout)")]
    public static partial void LedgerDrainAbandoned(ILogger logger, int count);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Image {Index} of an image-generation response could not be marked ({Reason}); passed through unmarked")]
    public static partial void ImageUnmarkable(ILogger logger, int index, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Provenance enabled: default scheme {Scheme}, receipt key {ReceiptKid}, ledger in {Ledger}")]
    public static partial void Enabled(ILogger logger, string scheme, string receiptKid, string ledger);
}
