package dev.driftline.jobs.retraintrigger; public final class RetrainTriggerMain { public static void main(String[] a) {} }
