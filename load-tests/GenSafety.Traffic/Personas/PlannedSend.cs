namespace GenSafety.Traffic.Personas;

/// <summary>One planned request of an actor: when (virtual seconds from the campaign's start) and whether it opens a new session.</summary>
/// <param name="T">Virtual send time in seconds.</param>
/// <param name="StartsSession">True for the first request after an idle gap (a new conversation, a new batch job).</param>
public readonly record struct PlannedSend(double T, bool StartsSession);
