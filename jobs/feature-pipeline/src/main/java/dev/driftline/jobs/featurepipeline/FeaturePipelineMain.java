package dev.driftline.jobs.featurepipeline; public final class FeaturePipelineMain { public static void main(String[] a) {} }
