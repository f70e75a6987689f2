package dev.driftline.jobs.driftdetection; public final class DriftDetectionMain { public static void main(String[] a) {} }
