package dev.driftline.cli; public final class DriftlineCli { public static void main(String[] a) {} }
